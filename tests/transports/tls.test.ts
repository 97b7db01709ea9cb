import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectError,
  type Connection,
  ConnectionLost,
  Protocol,
  Reactor,
  type SocketTransport,
  TLSError,
} from '../../lib/index.js';
import { Echo, echo, deferred, portOf } from '../helpers.js';
import {
  cert,
  key,
  RecordingClientFactory,
  Recorder,
  Resources,
  rawConnect,
  readAtLeast,
} from './helpers.js';

const reactor = new Reactor();
const res = new Resources();
afterEach(() => res.closeAll());

/** Wait until `recorder` has received `n` bytes. */
function received(recorder: Recorder, n: number): Promise<string> {
  return recorder.receivedAtLeast(n);
}

describe('listenSSL / connectSSL', () => {
  it('connects a classic client to a classic server, verifying the certificate against trustRoots', async () => {
    const port = res.port(await reactor.listenSSL(0, Echo, { key, cert }, 50, '127.0.0.1'));
    const factory = new RecordingClientFactory();
    res.connector(reactor.connectSSL('localhost', portOf(port), factory, { trustRoots: cert }, 5));
    const client = await factory.built.promise;
    await client.made.promise;
    expect((client.transport as SocketTransport).secure).toBe(true);
    client.transport!.write('over tls');
    expect(await received(client, 8)).toBe('over tls');
  });

  it('serves a stream protocol over TLS to a node:tls client, also by IP address (SAN 127.0.0.1)', async () => {
    const port = res.port(await reactor.listenSSL(0, echo, { key, cert }, 50, '127.0.0.1'));
    const socket = res.socket(tls.connect({ port: portOf(port), host: '127.0.0.1', ca: cert }));
    socket.write('encrypted echo');
    expect((await readAtLeast(socket, 14)).toString()).toBe('encrypted echo');
  });

  it('fails an untrusted server certificate with TLSError, and the server keeps serving', async () => {
    const port = res.port(await reactor.listenSSL(0, Echo, { key, cert }, 50, '127.0.0.1'));
    const bad = new RecordingClientFactory();
    res.connector(reactor.connectSSL('localhost', portOf(port), bad, {}, 5));
    const reason = await bad.failed.promise;
    expect(reason.check(TLSError)).toBe(TLSError);
    expect(reason.value).toBeInstanceOf(ConnectError);
    const error = reason.value as TLSError;
    expect(error.code).toBe('ERR_TLS');
    expect(error.tlsCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');

    const good = new RecordingClientFactory();
    res.connector(reactor.connectSSL('localhost', portOf(port), good, { caCerts: [cert] }, 5));
    await (await good.built.promise).made.promise;
  });

  it('fails a certificate whose names do not match the host with TLSError', async () => {
    const port = res.port(await reactor.listenSSL(0, Echo, { key, cert }, 50, '127.0.0.1'));
    const factory = new RecordingClientFactory();
    res.connector(
      reactor.connectSSL(
        '127.0.0.1',
        portOf(port),
        factory,
        { trustRoots: cert, servername: 'example.com' },
        5,
      ),
    );
    const reason = await factory.failed.promise;
    expect((reason.value as TLSError).tlsCode).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });
});

/** A line-based protocol that upgrades to TLS on `STARTTLS\r\n`, then echoes. */
class StartTLSServer extends Protocol {
  #buffer = '';
  #secure = false;
  override dataReceived(data: Uint8Array) {
    if (this.#secure) {
      this.transport!.write(data);
      return;
    }
    this.#buffer += Buffer.from(data).toString('latin1');
    const end = this.#buffer.indexOf('\r\n');
    if (end < 0) return;
    const rest = Buffer.from(this.#buffer.slice(end + 2), 'latin1');
    this.#secure = true;
    if (rest.length === 0) this.transport!.write('GO\r\n');
    void (this.transport as SocketTransport).startTLS({ key, cert }, rest);
  }
}

describe('startTLS', () => {
  it('upgrades a live classic connection on both sides', async () => {
    const port = res.port(await reactor.listenTCP(0, StartTLSServer, 50, '127.0.0.1'));
    const handshake = deferred<void>();
    class Client extends Recorder {
      override connectionMade() {
        this.transport!.write('STARTTLS\r\n');
      }
      override dataReceived(data: Uint8Array) {
        if (Buffer.from(data).toString() === 'GO\r\n') {
          (this.transport as SocketTransport)
            .startTLS({ ca: cert, host: 'localhost' })
            .then(() => handshake.resolve());
          this.transport!.write('secret'); // sent once the handshake completes
          return;
        }
        super.dataReceived(data);
      }
    }
    const factory = new RecordingClientFactory(() => new Client());
    res.connector(reactor.connectTCP('127.0.0.1', portOf(port), factory));
    const client = await factory.built.promise;
    await handshake.promise;
    expect((client.transport as SocketTransport).secure).toBe(true);
    expect(await received(client, 6)).toBe('secret');
  });

  it('upgrades a stream connection, and stream client and classic server interoperate', async () => {
    const port = res.port(await reactor.listenTCP(0, StartTLSServer, 50, '127.0.0.1'));
    const reply = deferred<string>();
    res.connector(
      reactor.connectTCP('127.0.0.1', portOf(port), async (conn: Connection) => {
        await conn.write('STARTTLS\r\n');
        for await (const chunk of conn) {
          expect(Buffer.from(chunk).toString()).toBe('GO\r\n');
          break;
        }
        await conn.startTLS({ ca: cert, host: 'localhost' });
        await conn.write('stream secret');
        for await (const chunk of conn) {
          reply.resolve(Buffer.from(chunk).toString());
          break;
        }
        await conn.close();
      }),
    );
    expect(await reply.promise).toBe('stream secret');
  });

  it('feeds the bytes read past STARTTLS (pending) to TLS first', async () => {
    const port = res.port(await reactor.listenTCP(0, StartTLSServer, 50, '127.0.0.1'));
    const raw = await rawConnect(portOf(port), res);
    // A TLS client whose first flight (the ClientHello) leaves in the same write as STARTTLS.
    let first = true;
    const bridge = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        raw.write(first ? Buffer.concat([Buffer.from('STARTTLS\r\n'), chunk]) : chunk, cb);
        first = false;
      },
    });
    raw.on('data', (d: Buffer) => bridge.push(d));
    const secure = res.socket(tls.connect({ socket: bridge, ca: cert, host: 'localhost' }));
    await new Promise<void>((resolve) => secure.once('secureConnect', () => resolve()));
    secure.write('after hello');
    expect((await readAtLeast(secure, 11)).toString()).toBe('after hello');
  });

  it('rejects with TLSError when the handshake fails, and the connection is lost', async () => {
    const port = res.port(await reactor.listenTCP(0, StartTLSServer, 50, '127.0.0.1'));
    const failed = deferred<unknown>();
    class Client extends Recorder {
      override connectionMade() {
        this.transport!.write('STARTTLS\r\n');
      }
      override dataReceived() {
        (this.transport as SocketTransport)
          .startTLS({ host: 'localhost' })
          .catch((e) => failed.resolve(e));
      }
    }
    const factory = new RecordingClientFactory(() => new Client());
    res.connector(reactor.connectTCP('127.0.0.1', portOf(port), factory));
    const error = await failed.promise;
    expect(error).toBeInstanceOf(TLSError);
    expect((error as TLSError).tlsCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    const client = await factory.built.promise;
    expect((await client.lost.promise).check(ConnectionLost)).toBe(ConnectionLost);
  });
});
