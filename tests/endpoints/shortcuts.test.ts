import { describe, expect, it } from 'vitest';
import {
  type ClientFactory,
  connect,
  EndpointDescriptionError,
  listen,
  MemoryReactor,
  Protocol,
  StringTransport,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
} from '../../lib/index.js';

describe('listen', () => {
  it('parses a description with the given reactor and listens with the handler', async () => {
    const reactor = new MemoryReactor();
    const port = await listen('tcp:8080:interface=127.0.0.1', Protocol, reactor);
    expect(reactor.tcpServers).toEqual([[8080, Protocol, 511, '127.0.0.1']]);
    expect(port.getHost()).toMatchObject({ port: 8080 });
  });

  it('listens on an endpoint object as given', async () => {
    const reactor = new MemoryReactor();
    await listen(new TCP4ServerEndpoint(reactor, 81), Protocol);
    expect(reactor.tcpServers).toEqual([[81, Protocol, 511, '']]);
  });

  it('rejects with EndpointDescriptionError for a bad description', async () => {
    await expect(listen('tcp:http', Protocol, new MemoryReactor())).rejects.toBeInstanceOf(
      EndpointDescriptionError,
    );
  });
});

describe('connect', () => {
  it('connects a description through the reactor and resolves with the Connection', async () => {
    const reactor = new MemoryReactor();
    const result = connect('tcp:example.com:80', reactor);
    const [host, port, factory] = reactor.tcpClients[0]!;
    expect([host, port]).toEqual(['example.com', 80]);
    (factory as ClientFactory)
      .buildProtocol({ type: 'TCP', host: '1.2.3.4', port: 80 })!
      .makeConnection(new StringTransport());
    const conn = await result;
    expect(typeof conn.write).toBe('function');
    expect(conn.signal.aborted).toBe(false);
  });

  it('connects an endpoint object as given', () => {
    const reactor = new MemoryReactor();
    void connect(new TCP4ClientEndpoint(reactor, 'h', 1));
    expect(reactor.tcpClients).toHaveLength(1);
  });

  it('rejects with EndpointDescriptionError for a bad description', async () => {
    await expect(connect('tcp:host=h', new MemoryReactor())).rejects.toBeInstanceOf(
      EndpointDescriptionError,
    );
  });
});
