import { afterEach, describe, expect, it } from 'vitest';
import { start } from '../../examples/chat.js';
import type { IListeningPort } from '../../lib/index.js';
import { lineClient, tcpTo } from './helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function join(server: IListeningPort, nick: string) {
  const client = await lineClient(tcpTo(server));
  cleanups.push(() => client.conn.abort());
  expect(await client.next()).toBe('Welcome! Your nickname?');
  await client.send(nick);
  return client;
}

describe('examples/chat.ts', () => {
  it('greets by nickname, broadcasts to the others, and announces joins and leaves', async () => {
    const server = await start(0);
    cleanups.push(() => server.stopListening());
    const alice = await join(server, 'alice');
    expect(await alice.next()).toBe('Hello alice, 1 here.');
    const bob = await join(server, 'bob');
    expect(await bob.next()).toBe('Hello bob, 2 here.');
    expect(await alice.next()).toBe('* bob joined');
    await bob.send('hi all');
    expect(await alice.next()).toBe('<bob> hi all');
    await bob.conn.close();
    expect(await alice.next()).toBe('* bob left');
  });

  it('refuses a nickname already in use', async () => {
    const server = await start(0);
    cleanups.push(() => server.stopListening());
    const first = await join(server, 'carol');
    expect(await first.next()).toBe('Hello carol, 1 here.');
    const second = await join(server, 'carol');
    expect(await second.next()).toBe('That nickname is taken; another?');
    await second.send('dave');
    expect(await second.next()).toBe('Hello dave, 2 here.');
  });
});
