// Tests: tests/transports/unix.test.ts
import * as fs from 'node:fs';
import * as net from 'node:net';
import { type Handler, toFactory } from '../protocols/index.js';
import type { IReactorTime } from '../time/index.js';
import { Connector } from './connector.js';
import { BadFileError, CannotListenError, LockHeldError } from './errors.js';
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

/** Take `<path>.lock` for this process, clearing a stale lock; throws when a live process holds it. */
function acquireLock(path: string): void {
  const owner = lockOwner(path);
  if (owner !== undefined && owner !== process.pid) {
    throw new LockHeldError(path, owner);
  }
  fs.rmSync(`${path}.lock`, { force: true });
  fs.symlinkSync(String(process.pid), `${path}.lock`);
}

/** Whether a server accepts connections on the Unix socket `path` (a refused connect means a stale socket). */
function socketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'ECONNREFUSED'));
  });
}

/**
 * Remove what is at `path` only if it is the stale socket of a dead server
 * (connecting is refused); a live server's socket, or anything that is not a
 * socket, is left alone and refused with `CannotListenError` naming it.
 */
async function removeStaleSocket(path: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(path);
  } catch {
    return; // nothing there
  }
  if (!stat.isSocket()) {
    throw new CannotListenError('', path, `${path} exists and is not a socket; not removing it`);
  }
  if (await socketIsLive(path)) {
    throw new CannotListenError('', path, `another server is listening on ${path}`);
  }
  fs.rmSync(path, { force: true });
}

function releaseLock(path: string): void {
  if (lockOwner(path) === process.pid) fs.rmSync(`${path}.lock`, { force: true });
}

/**
 * Listen on the Unix socket `address`, as Twisted's `listenUNIX`. `mode` is
 * applied to the socket file; with `wantPID`, a lock file `<address>.lock`
 * records this process, and a stale socket left by a dead server (one whose
 * connect is refused) is removed. A live server's socket, a lock held by a
 * live process, or a path that is not a socket (a regular file, say) makes
 * listening fail with `CannotListenError` naming it; nothing else is removed.
 */
export async function listenUNIX(
  address: string,
  handler: Handler,
  backlog = DEFAULT_BACKLOG,
  mode = 0o666,
  wantPID = false,
): Promise<ListeningPort> {
  const factory = toFactory(handler);
  if (wantPID) await removeStaleSocket(address);
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
