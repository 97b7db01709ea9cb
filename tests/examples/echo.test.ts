import { afterEach, describe, expect, it } from 'vitest';
import { connect, type IListeningPort } from '../../lib/index.js';
import { start as startClassic } from '../../examples/echo-classic.js';
import { start as startStream } from '../../examples/echo-stream.js';
import { roundTrip } from '../helpers.js';
import { tcpTo } from './helpers.js';

const servers: IListeningPort[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stopListening();
});

describe.each([
  ['examples/echo-stream.ts', startStream],
  ['examples/echo-classic.ts', startClassic],
])('%s', (_, start) => {
  it('echoes what a client sends, large writes included, then closes cleanly', async () => {
    const server = await start(0);
    servers.push(server);
    const conn = await connect(tcpTo(server));
    try {
      expect(await roundTrip(conn, 'hello')).toBe('hello');
      const big = 'x'.repeat(1 << 20);
      expect(await roundTrip(conn, big)).toBe(big);
    } finally {
      await conn.close();
    }
    await conn.closed;
  });
});
