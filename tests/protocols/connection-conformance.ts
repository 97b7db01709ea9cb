// A reusable conformance suite for `Connection`: run it over any pair of
// connected ends (in memory, TCP, TLS, Unix) with `describeConnectionConformance`.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Connection,
  ConnectionClosedError,
  ConnectionDone,
  ConnectionLost,
  type StreamProtocol,
} from '../../lib/index.js';
import {
  loggedDuring,
  readAll,
  readAtLeast,
  turns,
  unhandledRejectionsDuring,
} from '../helpers.js';

/**
 * Make two connected ends, `[client, server]`. When `serverHandler` is given
 * it runs on the server end, and `server` is the Connection it was given.
 * Whatever the maker opens beyond the two connections (listening ports) it
 * closes itself, e.g. in `afterEach`.
 */
export type MakeConnectionPair = (
  serverHandler?: StreamProtocol,
) => Promise<[client: Connection, server: Connection]>;

const decoder = new TextDecoder();

export { readAll, readAtLeast, turns };

/** Whether `p` is still pending after `n` event-loop turns. */
async function pendingAfter(p: Promise<unknown>, n: number): Promise<boolean> {
  let settled = false;
  p.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await turns(n);
  return !settled;
}

/** Options of {@link describeConnectionConformance}. */
export interface ConformanceOptions {
  /**
   * Whether the peer of an end that calls `abort()` sees an unclean loss
   * (`ConnectionLost`), as with a TCP reset (default true). Set it to false
   * for transports that cannot reset (Unix sockets, TLS over Node): their
   * peers see a clean close, and the cases that need a reset are skipped.
   */
  peerSeesAbort?: boolean;
}

/** The peer's end of a connection aborted on the other side: `ConnectionLost`, or a clean end when resets are not seen. */
async function expectPeerLoss(conn: Connection, peerSeesAbort: boolean): Promise<void> {
  if (peerSeesAbort) await expect(readAll(conn)).rejects.toBeInstanceOf(ConnectionLost);
  else await readAll(conn).catch((e: unknown) => expect(e).toBeInstanceOf(ConnectionLost));
}

/** Define the `Connection` conformance tests for the pairs `makePair` makes. */
export function describeConnectionConformance(
  name: string,
  makePair: MakeConnectionPair,
  { peerSeesAbort = true }: ConformanceOptions = {},
): void {
  describe(`Connection conformance: ${name}`, () => {
    const open: Connection[] = [];
    const pair = async (handler?: StreamProtocol): Promise<[Connection, Connection]> => {
      const ends = await makePair(handler);
      open.push(...ends);
      return ends;
    };

    afterEach(async () => {
      for (const c of open.splice(0)) c.abort();
    });

    it('delivers what one end writes to the other, in order', async () => {
      const [client, server] = await pair();
      const expected: string[] = [];
      for (let i = 0; i < 50; i++) {
        expected.push(`message ${i};`);
        await client.write(`message ${i};`);
      }
      await client.end();
      expect(await readAll(server)).toBe(expected.join(''));
    });

    it('sends strings as UTF-8 and accepts bytes', async () => {
      const [client, server] = await pair();
      await client.write('héllo ');
      await client.write(new Uint8Array([0xe2, 0x9c, 0x93]));
      await client.end();
      expect(await readAll(server)).toBe('héllo ✓');
    });

    it('ends iteration on the peer’s clean close, then both ends close with ConnectionDone', async () => {
      const [client, server] = await pair();
      await client.write('bye');
      void client.close();
      expect(await readAll(server)).toBe('bye');
      await server.close();
      await Promise.all([client.closed, server.closed]);
      expect(client.signal.aborted).toBe(true);
      expect(server.signal.aborted).toBe(true);
      expect(client.signal.reason).toBeInstanceOf(ConnectionDone);
      expect(server.signal.reason).toBeInstanceOf(ConnectionDone);
    });

    it('after the peer’s close(), ends reading and closes cleanly', async () => {
      const [client, server] = await pair();
      await client.write('last words');
      void client.close();
      expect(await readAll(server)).toBe('last words');
      await Promise.all([client.closed, server.closed]);
      expect(server.signal.reason).toBeInstanceOf(ConnectionDone);
      expect(client.signal.reason).toBeInstanceOf(ConnectionDone);
    });

    it('supports half-close: after end() a generator can still reply, then both ends close', async () => {
      const [client, server] = await pair(async function* (conn) {
        const request = await readAll(conn);
        yield 'response to ';
        yield request;
      });
      await client.end('request');
      expect(await readAll(client)).toBe('response to request');
      await Promise.all([client.closed, server.closed]);
    });

    it('keeps the write side open after a break out of for await', async () => {
      const [client] = await pair(async function* (conn) {
        for await (const chunk of conn) {
          if (decoder.decode(chunk).includes('\n')) break;
        }
        yield 'reply\n';
      });
      await client.write('hello\n');
      expect(await readAll(client)).toBe('reply\n');
    });

    it('can iterate again after a break, without losing data', async () => {
      const [client, server] = await pair();
      await client.end('abcdef');
      const first = await readAtLeast(server, 1);
      const rest = await readAll(server);
      expect(first + rest).toBe('abcdef');
    });

    it('rejects a write after close with ConnectionClosedError', async () => {
      const [client] = await pair();
      await client.close();
      await expect(client.write('late')).rejects.toBeInstanceOf(ConnectionClosedError);
      await expect(client.write('late')).rejects.toMatchObject({
        name: 'ConnectionClosedError',
        code: 'ERR_CONNECTION_CLOSED',
      });
    });

    it('does not raise an unhandled rejection when nobody awaits a failed write', async () => {
      const [client, server] = await pair();
      const unhandled = await unhandledRejectionsDuring(async () => {
        client.abort();
        void client.write('ignored');
        await server.closed;
        void server.write('ignored too');
        await turns(3);
      });
      expect(unhandled).toEqual([]);
    });

    it('closed resolves and signal aborts with ConnectionDone after close()', async () => {
      const [client, server] = await pair();
      const signal = client.signal;
      expect(signal.aborted).toBe(false);
      const done = readAll(server);
      await client.close();
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBeInstanceOf(ConnectionDone);
      expect(await done).toBe('');
    });

    it('abort() makes the local end lost with ConnectionLost and the peer’s reads throw ConnectionLost', async () => {
      const [client, server] = await pair();
      const reason = new Error('give up');
      client.abort(reason);
      await client.closed;
      expect(client.signal.reason).toBeInstanceOf(ConnectionLost);
      await expect(readAll(client)).rejects.toBeInstanceOf(ConnectionLost);
      await expectPeerLoss(server, peerSeesAbort);
      await server.closed;
      if (peerSeesAbort) expect(server.signal.reason).toBeInstanceOf(ConnectionLost);
    });

    it('closed never rejects, even after an unclean loss', async () => {
      const [client, server] = await pair();
      server.abort();
      await expect(client.closed).resolves.toBeUndefined();
      await expect(server.closed).resolves.toBeUndefined();
    });

    it('reports addresses that mirror each other', async () => {
      const [client, server] = await pair();
      expect(client.remoteAddress).toEqual(server.localAddress);
      expect(server.remoteAddress).toEqual(client.localAddress);
    });

    it('applies backpressure: writes wait while the peer does not read, and complete when it does', async () => {
      const [client, server] = await pair();
      const chunk = new Uint8Array(65536).fill(120);
      let written = 0;
      let blocked: Promise<void> | null = null;
      for (let i = 0; i < 2048 && blocked === null; i++) {
        const w = client.write(chunk);
        written += chunk.byteLength;
        if (await pendingAfter(w, 3)) blocked = w;
      }
      expect(blocked).not.toBeNull();
      const reading = readAll(server);
      await blocked;
      await client.end();
      expect((await reading).length).toBe(written);
    });

    it('closes gracefully when the generator returns, after sending what it yielded', async () => {
      const [client] = await pair(async function* () {
        yield 'a';
        yield new Uint8Array([98]);
        yield 'c';
      });
      expect(await readAll(client)).toBe('abc');
      await client.closed;
      expect(client.signal.reason).toBeInstanceOf(ConnectionDone);
    });

    it('logs and aborts when the generator throws', async () => {
      const boom = new Error('boom');
      const [events] = await loggedDuring(async () => {
        const [client, server] = await pair(async function* () {
          yield 'partial';
          throw boom;
        });
        await expectPeerLoss(client, peerSeesAbort);
        await server.closed;
        expect(server.signal.reason).toBeInstanceOf(ConnectionLost);
      });
      const logged = events.find((e) => (e.log_failure as { value?: unknown })?.value === boom);
      expect(logged).toBeDefined();
    });

    it('runs the generator’s finally when the peer aborts while it waits for data', async () => {
      let finalized: () => void = () => {};
      const ranFinally = new Promise<void>((r) => {
        finalized = r;
      });
      const [client] = await pair(async function* (conn) {
        try {
          for await (const chunk of conn) yield chunk;
        } finally {
          finalized();
        }
      });
      await client.write('x');
      expect(await readAtLeast(client, 1)).toBe('x');
      client.abort();
      await ranFinally;
    });

    // Without a reset the aborted peer only half-closes, and a busy generator keeps its end open.
    it.skipIf(!peerSeesAbort)(
      'runs the generator’s finally when the connection is lost while it is busy elsewhere',
      async () => {
        let release: () => void = () => {};
        const gate = new Promise<void>((r) => {
          release = r;
        });
        let finalized: () => void = () => {};
        const ranFinally = new Promise<void>((r) => {
          finalized = r;
        });
        let yieldedAfterLoss = false;
        const [client, server] = await pair(async function* () {
          try {
            yield 'ready';
            await gate;
            yield 'too late';
            yieldedAfterLoss = true;
          } finally {
            finalized();
          }
        });
        expect(await readAtLeast(client, 5)).toBe('ready');
        client.abort();
        await server.closed;
        release();
        await ranFinally;
        expect(yieldedAfterLoss).toBe(false);
      },
    );

    it('runs the generator’s finally when it returns, and when it throws', async () => {
      const finals: string[] = [];
      const [returning] = await pair(async function* () {
        try {
          yield 'bye';
        } finally {
          finals.push('returned');
        }
      });
      expect(await readAll(returning)).toBe('bye');
      await returning.closed;
      await loggedDuring(async () => {
        const [throwing, server] = await pair(async function* () {
          try {
            yield 'partial';
            throw new Error('handler exploded');
          } finally {
            finals.push('threw');
          }
        });
        await expectPeerLoss(throwing, peerSeesAbort);
        await server.closed;
      });
      expect(finals.sort()).toEqual(['returned', 'threw']);
    });

    it('delivers what the handler yields after the peer’s clean end (half-close)', async () => {
      const [client] = await pair(async function* (conn) {
        let n = 0;
        for await (const chunk of conn) n += chunk.byteLength;
        yield `got ${n} bytes`;
      });
      await client.end('12345');
      expect(await readAll(client)).toBe('got 5 bytes');
    });

    it('closes when an async function handler resolves', async () => {
      const [client] = await pair(async (conn) => {
        await conn.write('hi');
      });
      expect(await readAll(client)).toBe('hi');
      await client.closed;
    });

    it('logs and aborts when an async function handler rejects', async () => {
      const boom = new Error('async boom');
      const [events] = await loggedDuring(async () => {
        const [client] = await pair(async () => {
          throw boom;
        });
        await expectPeerLoss(client, peerSeesAbort);
      });
      expect(events.some((e) => (e.log_failure as { value?: unknown })?.value === boom)).toBe(true);
    });

    it('echoes a large stream intact through a generator', async () => {
      const [client] = await pair(async function* (conn) {
        for await (const chunk of conn) yield chunk;
      });
      const total = 1 << 20;
      const data = new Uint8Array(total);
      for (let i = 0; i < total; i++) data[i] = i % 251;
      const received: Uint8Array[] = [];
      const reading = (async () => {
        for await (const chunk of client) received.push(chunk);
      })();
      for (let off = 0; off < total; off += 10000)
        await client.write(data.subarray(off, off + 10000));
      await client.end();
      await reading;
      expect(Buffer.concat(received).equals(Buffer.from(data))).toBe(true);
    });
  });
}
