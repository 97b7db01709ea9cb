// Tests: tests/transports/unix.test.ts
import * as fs from 'node:fs';
import * as net from 'node:net';
import { type Handler, toFactory } from '../protocols/index.js';
import type { IReactorTime } from '../time/index.js';
import { Connector } from './connector.js';
import { BadFileError, LockHeldError } from './errors.js';
import { DEFAULT_BACKLOG, ListeningPort } from './listening-port.js';

/** The pid recorded in `path`'s lock file (`<path>.lock`, a symlink to the pid as Twisted's `FilesystemLock`), if that process is alive. */
function lockOwner(path: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readlinkSync(`${path}.lock`));
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM' ? pid : undefined;
  }
}

/** Take `<path>.lock` for this process, clearing a stale lock and socket file; throws when a live process holds it. */
function acquireLock(path: string): void {
  const owner = lockOwner(path);
  if (owner !== undefined && owner !== process.pid) {
    throw new LockHeldError(path, owner);
  }
  fs.rmSync(`${path}.lock`, { force: true });
  fs.rmSync(path, { force: true }); // the stale socket of a dead server
  fs.symlinkSync(String(process.pid), `${path}.lock`);
}

function releaseLock(path: string): void {
  if (lockOwner(path) === process.pid) fs.rmSync(`${path}.lock`, { force: true });
}

/**
 * Listen on the Unix socket `address`, as Twisted's `listenUNIX`. `mode` is
 * applied to the socket file; with `wantPID`, a lock file `<address>.lock`
 * records this process, a stale socket left by a dead server is removed, and
 * a live one makes listening fail with `CannotListenError`.
 */
export async function listenUNIX(
  address: string,
  handler: Handler,
  backlog = DEFAULT_BACKLOG,
  mode = 0o666,
  wantPID = false,
): Promise<ListeningPort> {
  const factory = toFactory(handler);
  const server = net.createServer({ allowHalfOpen: true });
  let locked = false;
  return ListeningPort.open(server, factory, {
    kind: 'UNIX',
    listen: { path: address, backlog },
    connectionEvent: 'connection',
    beforeListen: wantPID
      ? () => {
          acquireLock(address);
          locked = true;
        }
      : undefined,
    afterListen: () => fs.chmodSync(address, mode),
    afterClose: () => {
      if (locked) releaseLock(address);
    },
  });
}

/**
 * Connect to the Unix socket `address`, as Twisted's `connectUNIX`. With
 * `checkPID`, an attempt fails at once with `BadFileError` unless the lock
 * file `<address>.lock` names a live process.
 */
export function connectUNIX(
  clock: IReactorTime,
  address: string,
  handler: Handler,
  timeout: number | null = 30,
  checkPID = false,
): Connector {
  const connector = new Connector(
    {
      kind: 'UNIX',
      destination: { type: 'UNIX', name: address },
      dial: () => net.connect({ path: address, allowHalfOpen: true }),
      precheck: checkPID
        ? () =>
            lockOwner(address) === undefined
              ? new BadFileError(`No live server holds the lock of ${address}`)
              : undefined
        : undefined,
    },
    toFactory(handler),
    timeout,
    clock,
  );
  connector.connect();
  return connector;
}
