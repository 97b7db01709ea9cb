import { afterEach, describe, expect, it } from 'vitest';
import {
  ClientFactory,
  type Connection,
  ConnectionClosedError,
  ConnectionDone,
  Connector,
  DatagramProtocol,
  Factory,
  type Failure,
  type ListeningPort,
  Protocol,
  Reactor,
  type StreamProtocol,
} from '../../lib/index.js';

const reactor = new Reactor();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function track<T extends { stopListening(): unknown }>(port: T): T {
  cleanups.push(() => port.stopListening());
  return port;
}

const dec = (b: Uint8Array): string => Buffer.from(b).toString();

describe('reactor network methods take Twisted positional parameters', () => {
  it('listenTCP(port, factory, backlog, interface) listens on the interface; the address is {type: "TCP", host, port}', async () => {
    const echo: StreamProtocol = async function* (conn) {
      for await (const chunk of conn) yield chunk;
    };
    const port = track(await reactor.listenTCP(0, echo, 50, '127.0.0.1'));
    const host = port.getHost() as { type: string; host: string; port: number };
    expect(host).toMatchObject({ type: 'TCP', host: '127.0.0.1' });
    expect(host.port).toBeGreaterThan(0);
  });

  it('connectTCP(host, port, factory, timeout) returns a Connector and the classic protocol sees its addresses', async () => {
    let lost!: (reason: Failure) => void;
    const connectionLost = new Promise<Failure>((resolve) => {
      lost = resolve;
    });
    class Hello extends Protocol {
      override connectionMade(): void {
        this.transport?.write('hello');
        this.transport?.loseConnection();
      }
    }
    const port = track(await reactor.listenTCP(0, Hello, 50, '127.0.0.1'));
    const { port: portNumber } = port.getHost() as { port: number };
    const received: string[] = [];
    let peer: unknown;
    class Client extends Protocol {
      override connectionMade(): void {
        peer = this.transport?.getPeer();
      }
      override dataReceived(data: Uint8Array): void {
        received.push(dec(data));
      }
      override connectionLost(reason: Failure): void {
        lost(reason);
      }
    }
    const factory = new ClientFactory();
    factory.protocol = Client;
    const connector = reactor.connectTCP('127.0.0.1', portNumber, factory, 5);
    expect(connector).toBeInstanceOf(Connector);
    expect(connector.getDestination()).toEqual({
      type: 'TCP',
      host: '127.0.0.1',
      port: portNumber,
    });
    const reason = await connectionLost;
    expect(reason.check(ConnectionDone)).toBe(ConnectionDone);
    expect(received.join('')).toBe('hello');
    expect(peer).toEqual({ type: 'TCP', host: '127.0.0.1', port: portNumber });
  });

  it('listenUDP(port, protocol, interface, maxPacketSize) gives a {type: "UDP"} address', async () => {
    class Echo extends DatagramProtocol {}
    const port = track(await reactor.listenUDP(0, new Echo(), '127.0.0.1', 8192));
    expect(port.getHost()).toMatchObject({ type: 'UDP', host: '127.0.0.1' });
  });

  it('listen methods return Promises of a ListeningPort with getHost and stopListening', async () => {
    const pending = reactor.listenTCP(0, Factory.forProtocol(Protocol), 50, '127.0.0.1');
    expect(pending).toBeInstanceOf(Promise);
    const port: ListeningPort = await pending;
    expect(typeof port.getHost).toBe('function');
    await port.stopListening();
  });
});

describe('stream connections over TCP', () => {
  it('what a handler yields after the peer half-closes is still delivered', async () => {
    const port = track(
      await reactor.listenTCP(
        0,
        async function* (conn: Connection) {
          const got: Uint8Array[] = [];
          for await (const chunk of conn) got.push(chunk);
          yield `got ${Buffer.concat(got).length} bytes`;
        },
        50,
        '127.0.0.1',
      ),
    );
    const { port: portNumber } = port.getHost() as { port: number };
    const { connect } = await import('../../lib/index.js');
    const conn = await connect(`tcp:127.0.0.1:${portNumber}`);
    await conn.write('abcd');
    await conn.end();
    const replies: string[] = [];
    for await (const chunk of conn) replies.push(dec(chunk));
    expect(replies.join('')).toBe('got 4 bytes');
    await conn.closed;
    expect(conn.signal.aborted).toBe(true);
  });

  it('write() after close rejects with ConnectionClosedError', async () => {
    const port = track(await reactor.listenTCP(0, async function* () {}, 50, '127.0.0.1'));
    const { port: portNumber } = port.getHost() as { port: number };
    const { connect } = await import('../../lib/index.js');
    const conn = await connect(`tcp:127.0.0.1:${portNumber}`);
    conn.close();
    await conn.closed;
    await expect(conn.write('late')).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});
