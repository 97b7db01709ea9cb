import * as net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Protocol, Reactor, serverFromString } from '../../lib/index.js';
import { portOf } from '../helpers.js';
import { Resources } from './helpers.js';

const reactor = new Reactor();
const res = new Resources();
afterEach(async () => {
  vi.restoreAllMocks();
  await res.closeAll();
});

class Quiet extends Protocol {}

/** The backlog the next `server.listen()` is given, while `listenWith` listens. */
async function backlogOf(listenWith: () => Promise<unknown>): Promise<number | undefined> {
  const spy = vi.spyOn(net.Server.prototype, 'listen');
  res.port((await listenWith()) as never);
  const options = spy.mock.calls.at(-1)?.[0] as { backlog?: number } | undefined;
  spy.mockRestore();
  return options?.backlog;
}

describe('the listen backlog', () => {
  it("defaults to Node's 511, in the reactor methods and in descriptions", async () => {
    expect(await backlogOf(() => reactor.listenTCP(0, Quiet, undefined, '127.0.0.1'))).toBe(511);
    const endpoint = serverFromString(reactor, 'tcp:0:interface=127.0.0.1');
    expect(await backlogOf(() => endpoint.listen(Quiet))).toBe(511);
  });

  it('is what the description sets with backlog=', async () => {
    const endpoint = serverFromString(reactor, 'tcp:0:interface=127.0.0.1:backlog=7');
    expect(await backlogOf(() => endpoint.listen(Quiet))).toBe(7);
  });

  it('takes a burst of 400 connects without a SYN retransmit stall', async () => {
    const port = res.port(await reactor.listenTCP(0, Quiet, undefined, '127.0.0.1'));
    const started = performance.now();
    const sockets = Array.from({ length: 400 }, () =>
      res.socket(net.connect({ host: '127.0.0.1', port: portOf(port) })),
    );
    await Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            s.once('connect', resolve);
            s.once('error', reject);
          }),
      ),
    );
    // A dropped SYN is retried after 1 s: with a queue of 50 the burst takes over a second.
    expect(performance.now() - started).toBeLessThan(900);
  });
});
