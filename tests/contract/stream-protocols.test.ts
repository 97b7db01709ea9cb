import { connect as netConnect, type Socket } from 'node:net';
import { unhandledRejectionsDuring } from '../helpers.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Connection,
  ConnectionDone,
  ConnectionLost,
  globalLogPublisher,
  type LogEvent,
  Reactor,
  type StreamProtocol,
} from '../../lib/index.js';

const reactor = new Reactor();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Client {
  socket: Socket;
  /** Everything received until the socket closed, and whether it closed with an error. */
  received: Promise<{ text: string; error: boolean }>;
}

/** Serve `handler` on 127.0.0.1 and open a raw socket to it. */
async function serve(handler: StreamProtocol): Promise<Client> {
  const port = await reactor.listenTCP(0, handler, 50, '127.0.0.1');
  cleanups.push(() => port.stopListening());
  const { port: portNumber } = port.getHost() as { port: number };
  const socket = netConnect(portNumber, '127.0.0.1');
  cleanups.push(() => socket.destroy());
  const chunks: Buffer[] = [];
  let error = false;
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => {
    error = true;
  });
  const received = new Promise<{ text: string; error: boolean }>((resolve) =>
    socket.once('close', () => resolve({ text: Buffer.concat(chunks).toString(), error })),
  );
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', () => resolve());
  });
  return { socket, received };
}

function deferredSignal<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('stream protocols', () => {
  it('returning closes gracefully after what was yielded; finally runs', async () => {
    const finished = deferredSignal<boolean>();
    const { received } = await serve(async function* () {
      try {
        yield 'bye';
      } finally {
        finished.resolve(true);
      }
    });
    const { text, error } = await received;
    expect(text).toBe('bye');
    expect(error).toBe(false);
    expect(await finished.promise).toBe(true);
  });

  it('throwing logs the error, aborts the connection and still runs finally', async () => {
    const events: LogEvent[] = [];
    const observer = (e: LogEvent): void => {
      events.push(e);
    };
    globalLogPublisher.addObserver(observer);
    cleanups.push(() => globalLogPublisher.removeObserver(observer));
    const finished = deferredSignal<boolean>();
    const { received } = await serve(async function* () {
      try {
        yield 'partial';
        throw new Error('handler exploded');
      } finally {
        finished.resolve(true);
      }
    });
    await received;
    expect(await finished.promise).toBe(true);
    const logged = events.some(
      (e) =>
        (e.log_failure as { value?: Error } | undefined)?.value?.message === 'handler exploded',
    );
    expect(logged).toBe(true);
  });

  it('after breaking out of the read loop the handler may still yield a reply', async () => {
    const { socket, received } = await serve(async function* (conn: Connection) {
      for await (const chunk of conn) {
        if (Buffer.from(chunk).includes('\n')) break;
      }
      yield 'after break';
    });
    socket.write('line\n');
    const { text } = await received;
    expect(text).toBe('after break');
  });

  it('a clean peer close ends iteration; signal.reason is ConnectionDone and closed resolves', async () => {
    const seen = deferredSignal<Connection>();
    const { socket, received } = await serve(async (conn: Connection) => {
      for await (const _ of conn) {
        /* read to the end */
      }
      seen.resolve(conn);
    });
    socket.end();
    const conn = await seen.promise;
    await received;
    await conn.closed;
    expect(conn.signal.aborted).toBe(true);
    expect(conn.signal.reason).toBeInstanceOf(ConnectionDone);
  });

  it('an unclean peer close makes iteration throw ConnectionLost; closed still resolves', async () => {
    const seen = deferredSignal<unknown>();
    const { socket } = await serve(async (conn: Connection) => {
      try {
        for await (const _ of conn) {
          /* read */
        }
        seen.resolve('ended cleanly');
      } catch (e) {
        await conn.closed;
        seen.resolve(e);
      }
    });
    socket.resetAndDestroy();
    expect(await seen.promise).toBeInstanceOf(ConnectionLost);
  });

  it('a write after close that nobody awaits does not crash the process', async () => {
    const unhandled = await unhandledRejectionsDuring(async () => {
      const done = deferredSignal<void>();
      const { received } = await serve(async (conn: Connection) => {
        conn.close();
        await conn.closed;
        void conn.write('ignored');
        done.resolve();
      });
      await done.promise;
      await received;
    });
    expect(unhandled).toEqual([]);
  });
});
