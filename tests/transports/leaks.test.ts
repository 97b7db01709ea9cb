import { afterEach, describe, expect, it } from 'vitest';
import { type Connection, Reactor } from '../../lib/index.js';
import { abortListeners, deferred, echo, portOf, turns } from '../helpers.js';
import { Resources } from './helpers.js';

const reactor = new Reactor();
const res = new Resources();
afterEach(() => res.closeAll());

/** Counts of the process's active resources by kind (TCPSocketWrap, Timeout, ...). */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('resource hygiene', () => {
  it('leaves no socket, timer or signal listener behind after 1,000 connections', async () => {
    const port = res.port(await reactor.listenTCP(0, echo, 128, '127.0.0.1'));
    await turns(20);
    const before = resources();
    const signals: AbortSignal[] = [];
    const once = () => {
      const done = deferred<void>();
      reactor.connectTCP(
        '127.0.0.1',
        portOf(port),
        async (conn: Connection) => {
          signals.push(conn.signal);
          await conn.write('ping');
          for await (const _ of conn) break;
          await conn.close();
          done.resolve();
        },
        5,
      );
      return done.promise;
    };
    for (let batch = 0; batch < 20; batch++) await Promise.all(Array.from({ length: 50 }, once));
    await turns(20);
    expect(signals).toHaveLength(1000);
    const after = resources();
    expect(after.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
    expect(after.TCPServerWrap).toBe(before.TCPServerWrap);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
    expect(reactor.getDelayedCalls()).toHaveLength(0);
    expect(signals.every((s) => s.aborted && abortListeners(s) === 0)).toBe(true);
  }, 30_000);
});
