// When what a stream protocol yields reaches the socket: a small reply with
// the turn's other writes (one next-turn pass for every connection, as
// Twisted writes once per reactor iteration), a large one at once.
import * as net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lines, Reactor, type StreamProtocol } from '../../lib/index.js';
import { portOf } from '../helpers.js';
import { Resources, rawConnect } from './helpers.js';

const reactor = new Reactor();
const res = new Resources();
afterEach(() => {
  vi.restoreAllMocks();
  return res.closeAll();
});

const ROUND_TRIPS = 200;

/** Serve `handler`, then do ROUND_TRIPS request/reply exchanges, one at a time, checking each reply (`replySize(n)` bytes, ending `pong n`). */
async function roundTrips(handler: StreamProtocol, replySize: (n: number) => number) {
  const port = res.port(await reactor.listenTCP(0, handler, 50, '127.0.0.1'));
  const socket = await rawConnect(portOf(port), res);
  socket.setEncoding('latin1');
  let answered = 0;
  let pending = '';
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      pending += chunk;
      const size = replySize(answered);
      if (pending.length < size) return;
      expect(pending).toBe(
        `${'x'.repeat(size - `pong ${answered}\r\n`.length)}pong ${answered}\r\n`,
      );
      pending = '';
      if (++answered === ROUND_TRIPS) resolve();
      else socket.write(`${answered}\r\n`);
    });
    socket.write('0\r\n');
  });
}

describe('stream protocol writes over TCP', () => {
  it('sends each small reply in one write, at most one next-turn pass per turn', async () => {
    const writes = vi.spyOn(net.Socket.prototype, 'write');
    const immediate = vi.spyOn(globalThis, 'setImmediate');
    await roundTrips(
      async function* (conn) {
        for await (const line of lines(conn, { encoding: 'latin1' })) yield `pong ${line}\r\n`;
      },
      (n) => `pong ${n}\r\n`.length,
    );
    // The server's writes of replies, and the client's of requests: one each per round trip.
    expect(writes.mock.calls.length).toBe(2 * ROUND_TRIPS);
    expect(immediate.mock.calls.length).toBeLessThanOrEqual(ROUND_TRIPS + 5);
  });

  it('sends a large reply at once, without a next-turn pass per reply', async () => {
    const pad = 'x'.repeat(20000);
    const immediate = vi.spyOn(globalThis, 'setImmediate');
    await roundTrips(
      async function* (conn) {
        for await (const line of lines(conn, { encoding: 'latin1' }))
          yield `${pad}pong ${line}\r\n`;
      },
      (n) => pad.length + `pong ${n}\r\n`.length,
    );
    expect(immediate.mock.calls.length).toBeLessThan(ROUND_TRIPS / 10);
  });
});
