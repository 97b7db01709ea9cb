import { describe, expect, it } from 'vitest';
import {
  ClientFactory,
  Clock,
  FakeConnector,
  type IConnector,
  MemoryReactor,
  MemoryReactorClock,
  Protocol,
  RaisingMemoryReactor,
  ReactorAlreadyRunning,
} from '../../lib/index.js';

class RecordingClientFactory extends ClientFactory {
  readonly started: IConnector[] = [];
  override startedConnecting(connector: IConnector): void {
    this.started.push(connector);
  }
}

describe('MemoryReactor', () => {
  it("records listenTCP calls in Twisted tuple order, with backlog 511 (Node's default) and Twisted defaults otherwise", async () => {
    const reactor = new MemoryReactor();
    await reactor.listenTCP(1234, Protocol);
    await reactor.listenTCP(80, Protocol, 7, '10.0.0.1');
    expect(reactor.tcpServers).toEqual([
      [1234, Protocol, 511, ''],
      [80, Protocol, 7, '10.0.0.1'],
    ]);
  });

  it('resolves listenTCP with a port reporting 0.0.0.0, or the IPv6 interface', async () => {
    const reactor = new MemoryReactor();
    expect((await reactor.listenTCP(1234, Protocol)).getHost()).toEqual({
      type: 'TCP',
      host: '0.0.0.0',
      port: 1234,
    });
    expect((await reactor.listenTCP(1, Protocol, 50, '::1')).getHost()).toEqual({
      type: 'TCP',
      host: '::1',
      port: 1,
    });
  });

  it('records connectTCP calls, tells the factory it started, and keeps the connector', () => {
    const reactor = new MemoryReactor();
    const factory = new RecordingClientFactory();
    const connector = reactor.connectTCP('example.com', 80, factory, 5, ['10.0.0.2', 0]);
    expect(reactor.tcpClients).toEqual([['example.com', 80, factory, 5, ['10.0.0.2', 0]]]);
    expect(factory.started).toEqual([connector]);
    expect(reactor.connectors).toEqual([connector]);
    expect(connector.getDestination()).toEqual({ type: 'TCP', host: 'example.com', port: 80 });
  });

  it('uses connectTCP defaults of a 30 second timeout and no bind address', () => {
    const reactor = new MemoryReactor();
    const factory = new ClientFactory();
    reactor.connectTCP('h', 1, factory);
    expect(reactor.tcpClients).toEqual([['h', 1, factory, 30, undefined]]);
  });

  it('records SSL listens and connects with the TLS options in Twisted contextFactory position', async () => {
    const reactor = new MemoryReactor();
    const factory = new ClientFactory();
    const serverOptions = { key: 'k', cert: 'c' };
    const port = await reactor.listenSSL(443, Protocol, serverOptions);
    reactor.connectSSL('example.net', 4321, factory, { servername: 'x' }, 3, ['10.0.0.3', 0]);
    expect(reactor.sslServers).toEqual([[443, Protocol, serverOptions, 511, '']]);
    expect(reactor.sslClients).toEqual([
      ['example.net', 4321, factory, { servername: 'x' }, 3, ['10.0.0.3', 0]],
    ]);
    expect(port.getHost()).toEqual({ type: 'TCP', host: '0.0.0.0', port: 443 });
  });

  it("records Unix listens and connects with backlog 511 (Node's default) and Twisted defaults otherwise", async () => {
    const reactor = new MemoryReactor();
    const factory = new RecordingClientFactory();
    const port = await reactor.listenUNIX('/tmp/s.sock', Protocol);
    const connector = reactor.connectUNIX('/tmp/s.sock', factory);
    expect(reactor.unixServers).toEqual([['/tmp/s.sock', Protocol, 511, 0o666, false]]);
    expect(reactor.unixClients).toEqual([['/tmp/s.sock', factory, 30, false]]);
    expect(port.getHost()).toEqual({ type: 'UNIX', name: '/tmp/s.sock' });
    expect(connector.getDestination()).toEqual({ type: 'UNIX', name: '/tmp/s.sock' });
    expect(factory.started).toEqual([connector]);
  });

  it('records UDP listens as [port, protocol, interface, maxPacketSize]', async () => {
    const reactor = new MemoryReactor();
    const protocol = {};
    await reactor.listenUDP(53, protocol);
    await reactor.listenUDP(54, protocol, '127.0.0.1', 512);
    expect(reactor.udpServers).toEqual([
      [53, protocol, '', 8192],
      [54, protocol, '127.0.0.1', 512],
    ]);
  });

  it('gives fake connectors and ports that record what was asked of them', async () => {
    const reactor = new MemoryReactor();
    const connector = reactor.connectTCP('h', 1, new ClientFactory());
    expect(connector).toBeInstanceOf(FakeConnector);
    expect(connector.stoppedConnecting).toBe(false);
    connector.stopConnecting();
    connector.disconnect();
    expect(connector.stoppedConnecting).toBe(true);
    expect(connector.disconnected).toBe(true);
    const port = await reactor.listenTCP(0, Protocol);
    await port.stopListening();
    expect(port.stopped).toBe(true);
  });

  it('runs callWhenRunning hooks on run(), then stops, as Twisted', async () => {
    const reactor = new MemoryReactor();
    const calls: unknown[][] = [];
    reactor.callWhenRunning((...args: unknown[]) => calls.push([reactor.running, ...args]), 1, 2);
    expect(reactor.whenRunningHooks).toHaveLength(1);
    expect(reactor.hasRun).toBe(false);
    await reactor.run();
    expect(calls).toEqual([[true, 1, 2]]);
    expect(reactor.running).toBe(false);
    expect(reactor.hasRun).toBe(true);
    expect(reactor.hasStopped).toBe(true);
  });

  it('refuses to run while running', async () => {
    const reactor = new MemoryReactor();
    const errors: unknown[] = [];
    reactor.callWhenRunning(() => {
      try {
        void reactor.run();
      } catch (e) {
        errors.push(e);
      }
    });
    await reactor.run();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ReactorAlreadyRunning);
  });

  it('records system event triggers by phase and event, and removes them by id', () => {
    const reactor = new MemoryReactor();
    const stop = (..._args: unknown[]) => undefined;
    const id = reactor.addSystemEventTrigger('before', 'shutdown', stop);
    reactor.addSystemEventTrigger('during', 'startup', stop, 'x');
    expect(reactor.triggers.before?.shutdown).toEqual([[stop, []]]);
    expect(reactor.triggers.during?.startup).toEqual([[stop, ['x']]]);
    reactor.removeSystemEventTrigger(id);
    expect(reactor.triggers.before?.shutdown).toEqual([]);
    expect(() => reactor.removeSystemEventTrigger(id)).toThrow(TypeError);
  });

  it('is also a Clock, as MemoryReactorClock', () => {
    const reactor = new MemoryReactorClock();
    expect(reactor).toBeInstanceOf(MemoryReactor);
    expect(reactor).toBeInstanceOf(Clock);
    const seen: number[] = [];
    reactor.callLater(2, () => seen.push(reactor.seconds()));
    reactor.advance(2);
    expect(seen).toEqual([2]);
  });
});

describe('RaisingMemoryReactor', () => {
  it('rejects listens with the listen error and throws the connect error from connects', async () => {
    const listenError = new Error('cannot listen');
    const connectError = new Error('cannot connect');
    const reactor = new RaisingMemoryReactor(listenError, connectError);
    await expect(reactor.listenTCP(80, Protocol)).rejects.toBe(listenError);
    await expect(reactor.listenUNIX('/x', Protocol)).rejects.toBe(listenError);
    expect(() => reactor.connectTCP('h', 1, new ClientFactory())).toThrow(connectError);
    expect(() => reactor.connectSSL('h', 1, new ClientFactory(), {})).toThrow(connectError);
  });
});
