import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { echo, abortListeners } from '../helpers.js';
import { Collector, certArg, keyArg } from './helpers.js';
import {
  CancelledError,
  type Connection,
  clientFromString,
  type IListeningPort,
  MemoryReactor,
  type Protocol,
  quoteStringArgument,
  Reactor,
  serverFromString,
  TCP4ClientEndpoint,
  TLSError,
  TLSWrapperClientEndpoint,
  wrapClientTLS,
} from '../../lib/index.js';

describe('tls: with endpoint= (wrapClientTLS)', () => {
  it('parses into a TLS wrapper around the described client endpoint', () => {
    const reactor = new MemoryReactor();
    const ep = clientFromString(reactor, 'tls:example.com:443:endpoint=tcp\\:10.0.0.5\\:8443');
    expect(ep).toBeInstanceOf(TLSWrapperClientEndpoint);
    const wrapper = ep as TLSWrapperClientEndpoint;
    expect(wrapper.wrappedEndpoint).toBeInstanceOf(TCP4ClientEndpoint);
    const inner = wrapper.wrappedEndpoint as TCP4ClientEndpoint;
    expect([inner.host, inner.port]).toEqual(['10.0.0.5', 8443]);
    expect(wrapper.tlsOptions.host).toBe('example.com');
  });

  it('connects through the wrapped endpoint with the reactor', () => {
    const reactor = new MemoryReactor();
    void wrapClientTLS({}, new TCP4ClientEndpoint(reactor, '10.0.0.5', 1)).connect();
    expect(reactor.tcpClients.map(([host, port]) => [host, port])).toEqual([['10.0.0.5', 1]]);
  });
});

describe('wrapClientTLS over real sockets', () => {
  let reactor: Reactor;
  let port: IListeningPort;
  let connections: Connection[];
  let protocols: Protocol[];

  beforeEach(async () => {
    reactor = new Reactor();
    connections = [];
    protocols = [];
    port = await serverFromString(
      reactor,
      `ssl:0:privateKey=${keyArg}:certKey=${certArg}:interface=127.0.0.1`,
    ).listen(echo);
  });

  afterEach(async () => {
    for (const conn of connections) conn.abort();
    for (const p of protocols) p.transport?.abortConnection();
    await Promise.all(connections.map((c) => c.closed));
    await port.stopListening();
  });

  function portNumber(): number {
    const host = port.getHost();
    return host.type === 'UNIX' ? -1 : host.port;
  }

  function description(extra = `:trustRoots=${certArg}`): string {
    const inner = quoteStringArgument(`tcp:127.0.0.1:${portNumber()}`);
    return `tls:localhost:${portNumber()}${extra}:endpoint=${inner}`;
  }

  it('upgrades the connection to TLS before handing over the Connection', async () => {
    const conn = (await clientFromString(reactor, description()).connect()) as Connection;
    connections.push(conn);
    await conn.write('over tls');
    let text = '';
    for await (const chunk of conn) {
      text += Buffer.from(chunk).toString();
      if (text.length >= 8) break;
    }
    expect(text).toBe('over tls');
  });

  it('connects a classic protocol once the handshake is done', async () => {
    const client = (await clientFromString(reactor, description()).connect(Collector)) as Collector;
    protocols.push(client);
    client.transport!.write('classic tls');
    await client.receivedAtLeast(11);
    expect(client.received).toBe('classic tls');
  });

  it('rejects with TLSError when the certificate is not trusted', async () => {
    const error = await clientFromString(reactor, description(''))
      .connect()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TLSError);
  });

  it('aborting the signal during the handshake cancels with CancelledError', async () => {
    // A plain TCP server that never answers the TLS handshake.
    let accepted!: (conn: Connection) => void;
    const serverConn = new Promise<Connection>((resolve) => {
      accepted = resolve;
    });
    const silent = await serverFromString(reactor, 'tcp:0:interface=127.0.0.1').listen(
      async (conn: Connection) => {
        accepted(conn);
        await conn.closed;
      },
    );
    try {
      const silentPort = (silent.getHost() as { port: number }).port;
      const inner = quoteStringArgument(`tcp:127.0.0.1:${silentPort}`);
      const controller = new AbortController();
      const result = clientFromString(reactor, `tls:localhost:1:endpoint=${inner}`).connect({
        signal: controller.signal,
      });
      const server = await serverConn;
      controller.abort();
      const error = await result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CancelledError);
      expect(abortListeners(controller.signal)).toBe(0);
      await server.closed;
    } finally {
      void serverConn.then((conn) => conn.abort());
      await silent.stopListening();
    }
  });
});
