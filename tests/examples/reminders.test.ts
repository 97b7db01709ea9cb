// examples/reminders.ts: forks of one abort-controller-x `spawn` over
// conn.signal deliver while the client stays, and all end when it leaves.
import { afterEach, describe, expect, it } from 'vitest';
import type { IListeningPort } from '../../lib/index.js';
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
    await client.conn.close();
    for (let i = 0; i < 100 && pendingReminders() > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(pendingReminders()).toBe(0);
  });
});
