import { describe, expect, it } from 'vitest';
import {
  clientFromString,
  type Connection,
  connectProtocol,
  listen,
  MemoryReactor,
  Protocol,
  Reactor,
  serverFromString,
} from '../../lib/index.js';

const fixtures = new URL('../fixtures/tls/', import.meta.url).pathname;

/** Let an endpoint's listen/connect reach the reactor. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('serverFromString', () => {
  it('tcp:8080:interface=127.0.0.1 listens with listenTCP(8080, factory, 511, "127.0.0.1")', async () => {
    const reactor = new MemoryReactor();
    await serverFromString(reactor, 'tcp:8080:interface=127.0.0.1').listen(Protocol);
    expect(reactor.tcpServers).toHaveLength(1);
    const [port, , backlog, iface] = reactor.tcpServers[0];
    expect([port, backlog, iface]).toEqual([8080, 511, '127.0.0.1']);
  });

  it('unix:/tmp/s.sock:mode=660 listens with the octal mode, and backslash escapes a colon', async () => {
    const reactor = new MemoryReactor();
    await serverFromString(reactor, 'unix:/tmp/s.sock:mode=660').listen(Protocol);
    const [address, , backlog, mode, wantPID] = reactor.unixServers[0];
    expect([address, backlog, mode, wantPID]).toEqual(['/tmp/s.sock', 511, 0o660, true]);
    await serverFromString(reactor, 'unix:/tmp/a\\:b.sock').listen(Protocol);
    expect(reactor.unixServers[1][0]).toBe('/tmp/a:b.sock');
  });

  it('ssl:8443:privateKey=...:certKey=... reads PEM files', async () => {
    const reactor = new MemoryReactor();
    await serverFromString(
      reactor,
      `ssl:8443:privateKey=${fixtures}localhost.key:certKey=${fixtures}localhost.crt`,
    ).listen(Protocol);
    expect(reactor.sslServers).toHaveLength(1);
    expect(reactor.sslServers[0][0]).toBe(8443);
  });

  it('an unknown prefix throws at parse time naming it', () => {
    expect(() => serverFromString(new MemoryReactor(), 'bogus:1234')).toThrow(/bogus/);
  });

  it('a bad argument throws at parse time naming it', () => {
    expect(() => serverFromString(new MemoryReactor(), 'tcp:notaport')).toThrow(/notaport/);
    expect(() => serverFromString(new MemoryReactor(), 'tcp:80:backlog=x')).toThrow(/backlog/);
  });
});

describe('clientFromString', () => {
  it('tcp:host=example.com:port=80:timeout=5 connects with connectTCP(host, port, factory, 5)', async () => {
    const reactor = new MemoryReactor();
    const pending = clientFromString(reactor, 'tcp:host=example.com:port=80:timeout=5').connect(
      Protocol,
    );
    void pending.catch(() => {});
    await settle();
    expect(reactor.tcpClients).toHaveLength(1);
    const [host, port, , timeout] = reactor.tcpClients[0];
    expect([host, port, timeout]).toEqual(['example.com', 80, 5]);
  });

  it('tls:example.com:443 parses to a client endpoint', () => {
    const endpoint = clientFromString(new MemoryReactor(), 'tls:example.com:443');
    expect(typeof endpoint.connect).toBe('function');
  });

  it('an unknown prefix throws at parse time naming it', () => {
    expect(() => clientFromString(new MemoryReactor(), 'bogus:host=a:port=1')).toThrow(/bogus/);
  });
});

describe('shortcuts over real sockets', () => {
  it('listen(desc, stream handler) and connect(desc) give a Connection; connectProtocol gives the protocol', async () => {
    const reactor = new Reactor();
    const port = await listen(
      serverFromString(reactor, 'tcp:0:interface=127.0.0.1'),
      async function* (conn: Connection) {
        for await (const chunk of conn) yield chunk;
      },
    );
    try {
      const { port: portNumber } = port.getHost() as { port: number };
      const conn = await clientFromString(reactor, `tcp:127.0.0.1:${portNumber}`).connect();
      expect(Symbol.asyncIterator in (conn as object)).toBe(true);
      (conn as Connection).close();
      await (conn as Connection).closed;

      class Client extends Protocol {}
      const protocol = await connectProtocol(
        clientFromString(reactor, `tcp:127.0.0.1:${portNumber}`),
        new Client(),
      );
      expect(protocol).toBeInstanceOf(Client);
      protocol.transport?.loseConnection();
    } finally {
      await port.stopListening();
    }
  });
});
