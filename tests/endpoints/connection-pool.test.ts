import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  Clock,
  type Connection,
  ConnectionPool,
  type IListeningPort,
  type InetAddress,
  listen,
  PoolClosedError,
  TimeoutError,
} from '../../lib/index.js';
import { deferred, abortListeners } from '../helpers.js';

const ports: IListeningPort[] = [];
const pools: ConnectionPool[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  await Promise.all(ports.splice(0).map((p) => p.stopListening()));
});

/** An echo server that counts connections: made so far, open now, most open at once. */
async function countingServer() {
  const stats = { made: 0, open: 0, peak: 0 };
  const changed: (() => void)[] = [];
  const wake = () => {
    for (const f of changed.splice(0)) f();
  };
  const port = await listen('tcp:0:interface=127.0.0.1', async function* (conn: Connection) {
    stats.made += 1;
    stats.open += 1;
    stats.peak = Math.max(stats.peak, stats.open);
    wake();
    try {
      for await (const chunk of conn) yield chunk;
    } finally {
      stats.open -= 1;
      wake();
    }
  });
  ports.push(port);
  const address = `tcp:127.0.0.1:${(port.getHost() as InetAddress).port}`;
  /** Resolves once the server has `n` connections open (checked on each open and close). */
  const openBecomes = async (n: number) => {
    for (let i = 0; i < 100 && stats.open !== n; i += 1) {
      await new Promise<void>((resolve) => changed.push(resolve));
    }
    expect(stats.open).toBe(n);
  };
  return { stats, address, openBecomes };
}

function pool(address: string, options: ConstructorParameters<typeof ConnectionPool>[1]) {
  const p = new ConnectionPool(address, options);
  pools.push(p);
  return p;
}

/** One request: write `text`, read the echo (break leaves the connection open). */
async function ask(conn: Connection, text: string): Promise<string> {
  await conn.write(text);
  let got = '';
  for await (const chunk of conn) {
    got += Buffer.from(chunk).toString();
    if (got.length >= text.length) break;
  }
  return got;
}

describe('ConnectionPool', () => {
  it('runs 30 requests over at most max connections, reusing idle ones', async () => {
    const server = await countingServer();
    const p = pool(server.address, { max: 3 });
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => p.run((conn) => ask(conn, `req${i}`))),
    );
    expect(replies).toEqual(Array.from({ length: 30 }, (_, i) => `req${i}`));
    expect(server.stats.peak).toBeLessThanOrEqual(3);
    expect(server.stats.made).toBeLessThanOrEqual(3);
    expect([p.size, p.idle, p.waiting]).toEqual([server.stats.made, server.stats.made, 0]);
    await p.run((conn) => ask(conn, 'again'));
    expect(server.stats.made).toBeLessThanOrEqual(3);
  });

  it('an aborted waiter leaves the queue at once, and its listener is removed', async () => {
    const server = await countingServer();
    const p = pool(server.address, { max: 1 });
    const hold = deferred();
    const first = p.run(async (conn) => {
      await ask(conn, 'a');
      await hold.promise;
    });
    const ac = new AbortController();
    const waiter = p.run((conn) => ask(conn, 'never'), { signal: ac.signal });
    const next = p.run((conn) => ask(conn, 'b'));
    expect(p.waiting).toBe(2);
    ac.abort('changed my mind');
    expect(p.waiting).toBe(1);
    const error = await waiter.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe('changed my mind');
    expect(abortListeners(ac.signal)).toBe(0);
    hold.resolve();
    await first;
    expect(await next).toBe('b');
    expect(server.stats.made).toBe(1);
  });

  it('does not reuse a connection whose run failed, nor one the server closed', async () => {
    const server = await countingServer();
    const p = pool(server.address, { max: 1 });
    await expect(
      p.run(async (conn) => {
        await ask(conn, 'x');
        throw new RangeError('bad reply');
      }),
    ).rejects.toBeInstanceOf(RangeError);
    expect(await p.run((conn) => ask(conn, 'y'))).toBe('y');
    expect(server.stats.made).toBe(2);
    await server.openBecomes(1);
    await p.run(async (conn) => {
      await ask(conn, 'z');
      await conn.end(); // the server's echo ends too: the connection closes
      await conn.closed;
    });
    expect(p.size).toBe(0);
    expect(await p.run((conn) => ask(conn, 'w'))).toBe('w');
    expect(server.stats.made).toBe(3);
  });

  it('fails a run with a TimeoutError past acquireTimeout (on the clock)', async () => {
    const server = await countingServer();
    const clock = new Clock();
    const p = pool(server.address, { max: 1, acquireTimeout: 5, clock });
    const hold = deferred();
    const holding = deferred();
    const first = p.run(async (conn) => {
      await ask(conn, 'a');
      holding.resolve();
      await hold.promise;
    });
    await holding.promise;
    const late = p.run((conn) => ask(conn, 'late'));
    clock.advance(5);
    await expect(late).rejects.toBeInstanceOf(TimeoutError);
    expect(p.waiting).toBe(0);
    hold.resolve();
    await first;
  });

  it('closes idle connections after idleTimeout, and beyond maxIdle at once', async () => {
    const server = await countingServer();
    const clock = new Clock();
    const p = pool(server.address, { max: 3, maxIdle: 1, idleTimeout: 10, clock });
    const hold = deferred();
    const runs = ['a', 'b', 'c'].map((t) =>
      p.run(async (conn) => {
        const reply = await ask(conn, t);
        await hold.promise;
        return reply;
      }),
    );
    await server.openBecomes(3);
    hold.resolve();
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
    expect(p.idle).toBe(1);
    await server.openBecomes(1);
    expect(server.stats.open).toBe(1);
    clock.advance(10);
    expect(p.idle).toBe(0);
    await server.openBecomes(0);
    expect(server.stats.open).toBe(0);
  });

  it('aborting while fn runs aborts its connection; the run fails with an AbortError', async () => {
    const server = await countingServer();
    const p = pool(server.address, { max: 1 });
    const ac = new AbortController();
    const run = p.run(
      async (conn) => {
        await ask(conn, 'a');
        ac.abort('stop');
        for await (const _ of conn) {
          // the abort ends this
        }
      },
      { signal: ac.signal },
    );
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(abortListeners(ac.signal)).toBe(0);
    expect(await p.run((conn) => ask(conn, 'b'))).toBe('b');
    expect(server.stats.made).toBe(2);
  });

  it('close() fails waiting runs, closes every connection, and refuses new runs', async () => {
    const server = await countingServer();
    const p = pool(server.address, { max: 1 });
    const hold = deferred();
    const running = deferred();
    const busy = p.run(async (conn) => {
      await ask(conn, 'a');
      running.resolve();
      await hold.promise;
    });
    const waiting = p.run((conn) => ask(conn, 'w'));
    await running.promise;
    const closing = p.close();
    await expect(waiting).rejects.toBeInstanceOf(PoolClosedError);
    hold.resolve();
    await busy;
    await closing;
    await server.openBecomes(0);
    expect(server.stats.open).toBe(0);
    await expect(p.run((conn) => ask(conn, 'x'))).rejects.toBeInstanceOf(PoolClosedError);
  });

  it('a run served by an idle connection arms no acquire timer', async () => {
    const server = await countingServer();
    const clock = new Clock();
    const p = pool(server.address, { max: 2, idleTimeout: 10, clock });
    await p.run((conn) => ask(conn, 'a'));
    const sweep = clock.getDelayedCalls();
    expect(sweep).toHaveLength(1); // the idle sweep only
    const during = await p.run(async (conn) => {
      await ask(conn, 'b');
      return clock.getDelayedCalls();
    });
    expect(during).toEqual(sweep);
    expect(server.stats.made).toBe(1);
  });

  it('runs start in the order they came, and a new one does not overtake waiting ones', async () => {
    const server = await countingServer();
    const p = pool(server.address, { max: 1 });
    const order: string[] = [];
    const hold = deferred();
    const first = p.run(async (conn) => {
      await ask(conn, 'first');
      await hold.promise;
    });
    const queued = ['a', 'b'].map((t) =>
      p.run(async (conn) => {
        order.push(t);
        return ask(conn, t);
      }),
    );
    hold.resolve();
    await first;
    const late = p.run(async (conn) => {
      order.push('late');
      return ask(conn, 'late');
    });
    expect(await Promise.all([...queued, late])).toEqual(['a', 'b', 'late']);
    expect(order).toEqual(['a', 'b', 'late']);
    expect(server.stats.made).toBe(1);
  });

  it('rejects limits that make no sense', () => {
    expect(() => new ConnectionPool('tcp:127.0.0.1:1', { max: 0 })).toThrow(RangeError);
    expect(() => new ConnectionPool('tcp:127.0.0.1:1', { max: 2, maxIdle: 3 })).toThrow(RangeError);
    expect(() => new ConnectionPool('tcp:127.0.0.1:1', { max: 1, idleTimeout: -1 })).toThrow(
      RangeError,
    );
  });
});
