// Tests: tests/transports/unix.test.ts
import * as fs from 'node:fs';
import * as net from 'node:net';
import { type Handler, toFactory } from '../protocols/index.js';
import type { IReactorTime } from '../time/index.js';
import { Connector } from './connector.js';
import { BadFileError, LockHeldError, PathInUseError } from './errors.js';
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

/** Take `<path>.lock` for this process, clearing a stale lock and a stale socket; throws when a live process holds it. */
async function acquireLock(path: string): Promise<void> {
  const owner = lockOwner(path);
  if (owner !== undefined && owner !== process.pid) {
    throw new LockHeldError(path, owner);
  }
  await removeStaleSocket(path);
  fs.rmSync(`${path}.lock`, { force: true });
  fs.symlinkSync(String(process.pid), `${path}.lock`);
}

/** Seconds a probe of an existing socket may take before it counts as live. */
const PROBE_TIMEOUT = 2;

/**
 * Remove what is at `path` only if it is a stale socket: a socket file no
 * server accepts on (connecting fails with `ECONNREFUSED`). Anything else
 * there (a regular file, a directory, a live server's socket) is not ours to
 * delete: throws {@link PathInUseError}.
 */
async function removeStaleSocket(path: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(path);
  } catch {
    return; // nothing there
  }
  if (!stat.isSocket()) throw new PathInUseError(path, 'it is not a socket');
  const outcome = await probeSocket(path);
  if (outcome === 'stale') fs.rmSync(path, { force: true });
  else if (outcome !== 'gone') throw new PathInUseError(path, outcome);
}

/** Connect to the socket at `path` once: `'stale'` (refused), `'gone'`, or why it counts as in use. */
function probeSocket(path: string): Promise<'stale' | 'gone' | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ path });
    const settle = (outcome: string): void => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(PROBE_TIMEOUT * 1000, () =>
      settle('a server holds it (connecting timed out)'),
    );
    socket.once('connect', () => settle('a live server accepts connections on it'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') settle('stale');
      else if (error.code === 'ENOENT') settle('gone');
      else settle(`probing it failed with ${error.code ?? error.message}`);
    });
  });
}

function releaseLock(path: string): void {
  if (lockOwner(path) === process.pid) fs.rmSync(`${path}.lock`, { force: true });
}

/**
 * Listen on the Unix socket `address`, as Twisted's `listenUNIX`. `mode` is
 * applied to the socket file; with `wantPID`, a lock file `<address>.lock`
 * records this process and a stale socket left by a dead server (one that
 * refuses connections) is removed; a live server's lock or socket, or
 * anything at `address` that is not a socket, makes listening fail with
 * `CannotListenError` naming the path (nothing else is ever deleted).
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
      ? async () => {
          await acquireLock(address);
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
