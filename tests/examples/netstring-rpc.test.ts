import { afterEach, describe, expect, it } from 'vitest';
import { rpcClient, start } from '../../examples/netstring-rpc.js';
import { ConnectionClosedError } from '../../lib/index.js';
import { tcpTo } from './helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('examples/netstring-rpc.ts', () => {
  it('answers concurrent calls, each matched to its request', async () => {
    const server = await start(0);
    cleanups.push(() => server.stopListening());
    const client = await rpcClient(tcpTo(server));
    cleanups.push(() => client.close());
    const results = await Promise.all([
      client.call('add', 2, 3),
      client.call('upper', 'woven'),
      client.call('add', -1, 1),
    ]);
    expect(results).toEqual([5, 'WOVEN', 0]);
  });

  it('rejects a call to an unknown method, and pending calls when the connection closes', async () => {
    const server = await start(0);
    cleanups.push(() => server.stopListening());
    const client = await rpcClient(tcpTo(server));
    await expect(client.call('nope')).rejects.toThrow(/no such method/);
    const pending = client.call('add', 1, 2);
    await client.close();
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});
