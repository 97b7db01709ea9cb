// When what a stream protocol yields reaches the socket: at once, without a
// callback scheduled for the next turn of the event loop.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lines, Reactor } from '../../lib/index.js';
import { portOf } from '../helpers.js';
import { Resources, rawConnect } from './helpers.js';

const reactor = new Reactor();
const res = new Resources();
afterEach(() => {
  vi.restoreAllMocks();
  return res.closeAll();
});

const ROUND_TRIPS = 200;

describe('stream protocol writes over TCP', () => {
  it('answers one request at a time without scheduling a next-turn flush per reply', async () => {
    const port = res.port(
      await reactor.listenTCP(
        0,
        async function* (conn) {
          for await (const line of lines(conn, { encoding: 'latin1' })) yield `pong ${line}\r\n`;
        },
        50,
        '127.0.0.1',
      ),
    );
    const socket = await rawConnect(portOf(port), res);
    socket.setEncoding('latin1');
    const immediate = vi.spyOn(globalThis, 'setImmediate');
    let answered = 0;
    await new Promise<void>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('data', (reply: string) => {
        expect(reply).toBe(`pong ${answered}\r\n`);
        if (++answered === ROUND_TRIPS) resolve();
        else socket.write(`${answered}\r\n`);
      });
      socket.write('0\r\n');
    });
    // Before: one setImmediate per reply (the transport's deferred flush).
    expect(immediate.mock.calls.length).toBeLessThan(ROUND_TRIPS / 10);
  });
});
