import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CannotListenError,
  ConnectionAborted,
  ConnectionDone,
  ConnectionLost,
  ConnectionRefusedError,
  Factory,
  type ListeningPort,
  Protocol,
  Reactor,
} from '../../lib/index.js';
import { Echo, echo, deferred, portOf } from '../helpers.js';
import {
  RecordingClientFactory,
  Recorder,
  Resources,
  rawConnect,
  readAll,
  readAtLeast,
} from './helpers.js';

const reactor = new Reactor();
const res = new Resources();
afterEach(() => res.closeAll());

/** Listen with a factory of {@link Recorder}s; `server` resolves with the first one, once connected. */
async function recorderServer(): Promise<{ port: ListeningPort; server: Promise<Recorder> }> {
  const server = deferred<Recorder>();
  class Announcing extends Recorder {
    override connectionMade() {
      server.resolve(this);
    }
  }
  const port = res.port(await reactor.listenTCP(0, Announcing, 50, '127.0.0.1'));
  return { port, server: server.promise };
}

describe('listenTCP', () => {
  it('serves a classic protocol and reports both addresses', async () => {
    let addresses: unknown[] = [];
    class Greeter extends Protocol {
      override connectionMade() {
        addresses = [this.transport!.getHost(), this.transport!.getPeer()];
        this.transport!.write('hello ');
        this.transport!.writeSequence(['wor', new TextEncoder().encode('ld')]);
        this.transport!.loseConnection();
      }
    }
    const port = res.port(await reactor.listenTCP(0, Greeter, 50, '127.0.0.1'));
    expect(port.getHost()).toEqual({ type: 'TCP', host: '127.0.0.1', port: portOf(port) });
    const socket = await rawConnect(portOf(port), res);
    expect((await readAll(socket)).toString()).toBe('hello world');
    expect(addresses).toEqual([
      { type: 'TCP', host: '127.0.0.1', port: portOf(port) },
      { type: 'TCP', host: '127.0.0.1', port: socket.localPort },
    ]);
  });

  it('serves a stream protocol (async generator)', async () => {
    const port = res.port(await reactor.listenTCP(0, echo, 50, '127.0.0.1'));
    const socket = await rawConnect(portOf(port), res);
    const all = readAll(socket);
    socket.write('one ');
    socket.end('two');
    expect((await all).toString()).toBe('one two');
  });

  it('gives connectionLost a ConnectionDone exactly once after a clean close by the peer', async () => {
    const { port, server } = await recorderServer();
    const socket = await rawConnect(portOf(port), res);
    socket.end('bye');
    const p = await server;
    const reason = await p.lost.promise;
    expect(reason.check(ConnectionDone)).toBe(ConnectionDone);
    expect(p.text()).toBe('bye');
    expect(p.lostCount).toBe(1);
    expect(p.connected).toBe(true); // Protocol.connected is Twisted's flag, unaffected here
  });

  it('delivers a half-close to readConnectionLost and lets the protocol still reply', async () => {
    class HalfClose extends Protocol {
      data = '';
      override dataReceived(d: Uint8Array) {
        this.data += Buffer.from(d).toString();
      }
      readConnectionLost() {
        this.transport!.write(`got ${this.data}`);
        this.transport!.loseConnection();
      }
    }
    const port = res.port(await reactor.listenTCP(0, HalfClose, 50, '127.0.0.1'));
    const socket = await rawConnect(portOf(port), res);
    const all = readAll(socket);
    socket.end('request');
    expect((await all).toString()).toBe('got request');
  });

  it('reports a peer reset mid-stream as ConnectionLost', async () => {
    const { port, server } = await recorderServer();
    const socket = await rawConnect(portOf(port), res);
    socket.write('partial');
    const p = await server;
    // Reset once the server has read the data (a reset racing unread data
    // reads, on Linux, as data then a clean EOF, for raw node:net too).
    await p.receivedAtLeast(1);
    socket.resetAndDestroy();
    const reason = await p.lost.promise;
    expect(reason.check(ConnectionDone)).toBeNull();
    expect(reason.check(ConnectionLost)).toBe(ConnectionLost);
  });

  it('abortConnection drops the connection with ConnectionAborted and the peer sees a reset', async () => {
    const { port, server } = await recorderServer();
    const socket = await rawConnect(portOf(port), res);
    const peerError = new Promise<string | undefined>((resolve) => {
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code));
      socket.once('close', () => resolve(undefined));
    });
    const p = await server;
    p.transport!.abortConnection();
    expect((await p.lost.promise).check(ConnectionAborted)).toBe(ConnectionAborted);
    expect(await peerError).toBe('ECONNRESET');
  });

  it('closes only the failing connection when a protocol throws, and keeps serving', async () => {
    class Fragile extends Protocol {
      override dataReceived(d: Uint8Array) {
        if (Buffer.from(d).toString() === 'boom') throw new Error('protocol bug');
        this.transport!.write(d);
      }
    }
    const port = res.port(await reactor.listenTCP(0, Fragile, 50, '127.0.0.1'));
    const good = await rawConnect(portOf(port), res);
    const bad = await rawConnect(portOf(port), res);
    const badClosed = new Promise<void>((r) => bad.once('close', () => r()));
    bad.on('error', () => {});
    bad.write('boom');
    await badClosed;
    good.write('still here');
    expect((await readAtLeast(good, 10)).toString()).toBe('still here');
  });

  it('closes a connection at once when buildProtocol returns null', async () => {
    class Refusing extends Factory {
      override buildProtocol() {
        return null;
      }
    }
    const port = res.port(await reactor.listenTCP(0, new Refusing(), 50, '127.0.0.1'));
    const socket = await rawConnect(portOf(port), res);
    expect((await readAll(socket)).length).toBe(0);
  });

  it('rejects with CannotListenError when the port is in use', async () => {
    const port = res.port(await reactor.listenTCP(0, Echo, 50, '127.0.0.1'));
    const error = await reactor.listenTCP(portOf(port), Echo, 50, '127.0.0.1').catch((e) => e);
    expect(error).toBeInstanceOf(CannotListenError);
    expect(error.code).toBe('ERR_CANNOT_LISTEN');
    expect(error.osError).toBe('EADDRINUSE');
    expect(error.port).toBe(portOf(port));
  });

  it('starts the factory once listening and stops it on stopListening', async () => {
    const events: string[] = [];
    class Counted extends Factory {
      override startFactory() {
        events.push('start');
      }
      override stopFactory() {
        events.push('stop');
      }
    }
    const factory = Counted.forProtocol(Echo);
    factory.noisy = false;
    const port = await reactor.listenTCP(0, factory, 50, '127.0.0.1');
    expect(events).toEqual(['start']);
    await port.stopListening();
    await port.stopListening();
    expect(events).toEqual(['start', 'stop']);
    const refused = await new Promise<string>((resolve) => {
      const s = net.connect(portOf(port), '127.0.0.1');
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? ''));
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});

describe('SocketTransport producers and half-close', () => {
  it('asks a pull producer for data until it unregisters; loseConnection waits for that', async () => {
    class Counter extends Protocol {
      override connectionMade() {
        let n = 0;
        const transport = this.transport!;
        transport.registerProducer(
          {
            resumeProducing: () => {
              transport.write(`${n++},`);
              if (n === 100) transport.unregisterProducer();
            },
            stopProducing: () => {},
          },
          false,
        );
        transport.loseConnection(); // must not cut the producer short
      }
    }
    const port = res.port(await reactor.listenTCP(0, Counter, 50, '127.0.0.1'));
    const text = (await readAll(await rawConnect(portOf(port), res))).toString();
    expect(text).toBe(Array.from({ length: 100 }, (_, i) => `${i},`).join(''));
  });

  it('loseWriteConnection sends EOF but keeps reading, and tells the protocol', async () => {
    const port = res.port(await reactor.listenTCP(0, Echo, 50, '127.0.0.1'));
    const writeLost = deferred<void>();
    class HalfCloser extends Recorder {
      override connectionMade() {
        this.transport!.write('last words');
        this.transport!.loseWriteConnection!();
      }
      writeConnectionLost() {
        writeLost.resolve();
      }
      readConnectionLost() {
        this.transport!.loseConnection();
      }
    }
    const factory = new RecordingClientFactory(() => new HalfCloser());
    res.connector(reactor.connectTCP('127.0.0.1', portOf(port), factory));
    const client = await factory.built.promise;
    await writeLost.promise;
    const reason = await client.lost.promise;
    expect(reason.check(ConnectionDone)).toBe(ConnectionDone);
    expect(client.text()).toBe('last words');
  });
});

describe('connectTCP', () => {
  it('connects a classic client, which talks to an echo server', async () => {
    const port = res.port(await reactor.listenTCP(0, Echo, 50, '127.0.0.1'));
    const factory = new RecordingClientFactory();
    const connector = res.connector(reactor.connectTCP('127.0.0.1', portOf(port), factory, 5));
    expect(connector.state).toBe('connecting');
    expect(factory.startedConnectingCount).toBe(1);
    expect(connector.getDestination()).toEqual({
      type: 'TCP',
      host: '127.0.0.1',
      port: portOf(port),
    });
    const client = await factory.built.promise;
    await client.made.promise;
    expect(connector.state).toBe('connected');
    client.transport!.write('ping');
    expect(await client.receivedAtLeast(4)).toBe('ping');
    connector.disconnect();
    const reason = await factory.lost.promise;
    expect(reason.check(ConnectionDone)).toBe(ConnectionDone);
    expect(connector.state).toBe('disconnected');
    expect([factory.started, factory.stopped]).toEqual([1, 1]);
  });

  it('connects a stream protocol client', async () => {
    const port = res.port(await reactor.listenTCP(0, Echo, 50, '127.0.0.1'));
    const got = deferred<string>();
    res.connector(
      reactor.connectTCP('127.0.0.1', portOf(port), async (conn) => {
        await conn.write('round trip');
        for await (const chunk of conn) {
          got.resolve(Buffer.from(chunk).toString());
          break;
        }
      }),
    );
    expect(await got.promise).toBe('round trip');
  });

  it('fails with ConnectionRefusedError when nothing listens', async () => {
    const port = await reactor.listenTCP(0, Echo, 50, '127.0.0.1');
    await port.stopListening();
    const factory = new RecordingClientFactory();
    const connector = reactor.connectTCP('127.0.0.1', portOf(port), factory, 5);
    const reason = await factory.failed.promise;
    expect(reason.check(ConnectionRefusedError)).toBe(ConnectionRefusedError);
    expect((reason.value as ConnectionRefusedError).code).toBe('ERR_CONNECTION_REFUSED');
    expect(connector.state).toBe('disconnected');
    expect([factory.started, factory.stopped]).toEqual([1, 1]);
  });
});
