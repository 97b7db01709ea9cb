// examples/reminders.ts: forks of one abort-controller-x `spawn` over
// conn.signal deliver while the client stays, and all end when it leaves.
import { afterEach, describe, expect, it } from 'vitest';
import { diagnosticsChannels, type IListeningPort } from '../../lib/index.js';
import { nextPublished } from '../helpers.js';
import { pendingReminders, start } from '../../examples/reminders.js';
import { lineClient, tcpTo } from './helpers.js';

const servers: IListeningPort[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stopListening();
});

describe('examples/reminders.ts', () => {
  it('delivers a reminder, and aborts the pending ones when the client closes', async () => {
    const server = await start(0);
    servers.push(server);
    const client = await lineClient(tcpTo(server));
    await client.send('later 10 hello');
    expect(await client.next()).toBe('ok');
    expect(await client.next()).toBe('hello');
    await client.send('later 600000 never');
    expect(await client.next()).toBe('ok');
    await client.send('tasks');
    expect(await client.next()).toBe('1');
    expect(pendingReminders()).toBe(1);
    // The handler returns, ending the server's side, only once its forks ended.
    const serverClosed = nextPublished<{ listeningAddress: unknown }>(
      diagnosticsChannels.connectionClosed,
      (m) => m.listeningAddress !== null,
    );
    await client.conn.close();
    await serverClosed;
    expect(pendingReminders()).toBe(0);
  });
});
