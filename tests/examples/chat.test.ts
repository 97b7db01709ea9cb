import { connect as netConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from '../../examples/chat.js';
import type { IListeningPort, InetAddress } from '../../lib/index.js';
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

  it('works with nc: LF-terminated lines over a real socket', async () => {
    const server = await start(0);
    cleanups.push(() => server.stopListening());
    const crlf = await join(server, 'erin');
    expect(await crlf.next()).toBe('Hello erin, 1 here.');
    // As `nc 127.0.0.1 PORT` sends what is typed: each line ends in a bare LF.
    const nc = netConnect((server.getHost() as InetAddress).port, '127.0.0.1');
    cleanups.push(() => nc.destroy());
    let received = '';
    const greeted = new Promise<void>((resolve) => {
      nc.setEncoding('utf8').on('data', (text: string) => {
        received += text;
        if (received.includes('here.\r\n')) resolve();
      });
    });
    nc.write('frank\n');
    await greeted;
    expect(await crlf.next()).toBe('* frank joined');
    nc.write('hi from nc\n');
    expect(await crlf.next()).toBe('<frank> hi from nc');
    expect(received).toBe('Welcome! Your nickname?\r\nHello frank, 2 here.\r\n');
  });
});
