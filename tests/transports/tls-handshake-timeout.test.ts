// The TLS handshake timeout: a client that connects and never finishes its
// handshake is closed (Node 20 only reports the timeout), logged with its
// address, and the port keeps serving real clients meanwhile.
import type * as net from 'node:net';
import * as tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { type Connection, lines, Reactor, serverFromString, TLSError } from '../../lib/index.js';
import { certArg, keyArg } from '../endpoints/helpers.js';
import { echo, logEventsOfEachTest, portOf } from '../helpers.js';
import { cert, key, Resources, rawConnect, readAtLeast } from './helpers.js';

const reactor = new Reactor();
const res = new Resources();
const events = logEventsOfEachTest();
afterEach(() => {
  return res.closeAll();
});

/** Resolves once the server has closed `socket` (its end arrived); rejects (failing the test) after `seconds`. */
function closedWithin(socket: net.Socket, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.readableEnded) return resolve();
    const timer = setTimeout(
      () => reject(new Error(`still open after ${seconds} s`)),
      seconds * 1000,
    );
    socket.resume();
    socket.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** ClientHello's first bytes (a TLS record header and part of a handshake): a client stalled mid-handshake. */
const PARTIAL_HELLO = Buffer.from([0x16, 0x03, 0x01, 0x00, 0xc8, 0x01, 0x00, 0x00]);

async function stalledClients(port: number, count: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = await rawConnect(port, res);
    if (i % 2 === 1) socket.write(PARTIAL_HELLO);
    sockets.push(socket);
  }
  return sockets;
}

describe('TLS handshake timeout', () => {
  it('listenSSL closes clients silent or stalled mid-handshake, logs each, and keeps serving', async () => {
    const port = res.port(
      await reactor.listenSSL(0, echo, { key, cert, handshakeTimeout: 200 }, 50, '127.0.0.1'),
    );
    const stalled = await stalledClients(portOf(port), 6);
    const good = res.socket(tls.connect({ port: portOf(port), host: '127.0.0.1', ca: cert }));
    good.write('still served');
    expect((await readAtLeast(good, 12)).toString()).toBe('still served');
    await Promise.all(stalled.map((s) => closedWithin(s, 10)));
    const timeouts = events.filter((e) => e.tlsCode === 'ERR_TLS_HANDSHAKE_TIMEOUT');
    expect(timeouts).toHaveLength(6);
    expect(timeouts[0]!.host).toBe('127.0.0.1');
  });

  it('ssl: descriptions take handshakeTimeout= in seconds', async () => {
    const endpoint = serverFromString(
      reactor,
      `ssl:0:privateKey=${keyArg}:certKey=${certArg}:interface=127.0.0.1:handshakeTimeout=0.2`,
    );
    const port = await endpoint.listen(echo);
    res.onClose(() => port.stopListening());
    const host = port.getHost();
    const [silent] = await stalledClients(host.type === 'UNIX' ? 0 : host.port, 1);
    await closedWithin(silent!, 10);
  });

  it('rejects a handshakeTimeout that is not a number of seconds', () => {
    expect(() =>
      serverFromString(
        reactor,
        `ssl:0:privateKey=${keyArg}:certKey=${certArg}:handshakeTimeout=soon`,
      ),
    ).toThrow(/handshakeTimeout/);
  });

  it('a server-side startTLS closes a client that never finishes the handshake, and the startTLS rejects', async () => {
    const outcomes: unknown[] = [];
    const starttls = async (conn: Connection): Promise<void> => {
      for await (const line of lines(conn, { encoding: 'utf8' })) {
        if (line !== 'STARTTLS') continue;
        await conn.write('GO\r\n');
        outcomes.push(await conn.startTLS({ key, cert, handshakeTimeout: 200 }).catch((e) => e));
        return;
      }
    };
    const port = res.port(await reactor.listenTCP(0, starttls, 50, '127.0.0.1'));
    const silent = await rawConnect(portOf(port), res);
    const stalled = await rawConnect(portOf(port), res);
    silent.write('STARTTLS\r\n');
    stalled.write('STARTTLS\r\n');
    expect((await readAtLeast(stalled, 4)).toString()).toBe('GO\r\n');
    stalled.write(PARTIAL_HELLO);
    await Promise.all([closedWithin(silent, 10), closedWithin(stalled, 10)]);
    expect(outcomes).toHaveLength(2);
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(TLSError);
      expect((outcome as TLSError).tlsCode).toBe('ERR_TLS_HANDSHAKE_TIMEOUT');
    }
    const logged = events.filter((e) => e.tlsCode === 'ERR_TLS_HANDSHAKE_TIMEOUT');
    expect(logged.map((e) => e.host)).toEqual(['127.0.0.1', '127.0.0.1']);
  });
});
