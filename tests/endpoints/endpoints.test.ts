import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  ClientFactory,
  type Connection,
  ConnectionDone,
  ConnectionRefusedError,
  connectProtocol,
  Factory,
  Failure,
  HostnameEndpoint,
  MemoryReactor,
  NoProtocol,
  Protocol,
  RaisingMemoryReactor,
  SSL4ClientEndpoint,
  SSL4ServerEndpoint,
  StringTransport,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  TCP6ServerEndpoint,
  UNIXClientEndpoint,
  UNIXServerEndpoint,
} from '../../lib/index.js';
import { abortListeners, turns } from '../helpers.js';

const peer = { type: 'TCP', host: '127.0.0.1', port: 4321 } as const;

class Recorder extends Protocol {
  readonly received: string[] = [];
  lost: Failure | undefined;
  made = 0;
  override connectionMade(): void {
    this.made += 1;
  }
  override dataReceived(data: Uint8Array): void {
    this.received.push(Buffer.from(data).toString());
  }
  override connectionLost(reason: Failure): void {
    this.lost = reason;
  }
}

/** The wrapping client factory the endpoint handed to the reactor's last connect call. */
function lastFactory(reactor: MemoryReactor): ClientFactory {
  const factory = reactor.tcpClients.at(-1)?.[2];
  expect(factory).toBeInstanceOf(ClientFactory);
  return factory as ClientFactory;
}

/** Complete the recorded attempt: build the protocol and connect it to a StringTransport. */
function completeConnection(reactor: MemoryReactor): {
  transport: StringTransport;
  wrapper: Protocol;
} {
  const wrapper = lastFactory(reactor).buildProtocol(peer);
  expect(wrapper).not.toBeNull();
  const transport = new StringTransport();
  wrapper!.makeConnection(transport);
  return { transport, wrapper: wrapper! };
}

describe('server endpoints', () => {
  it('TCP4ServerEndpoint listens through listenTCP and resolves with its port', async () => {
    const reactor = new MemoryReactor();
    const factory = Factory.forProtocol(Recorder);
    const port = await new TCP4ServerEndpoint(reactor, 80).listen(factory);
    expect(port.getHost()).toEqual({ type: 'TCP', host: '0.0.0.0', port: 80 });
    expect(reactor.tcpServers).toEqual([[80, factory, 511, '']]);
  });

  it('passes non-default listen arguments through in Twisted order', async () => {
    const reactor = new MemoryReactor();
    await new TCP4ServerEndpoint(reactor, 81, 3, '127.0.0.1').listen(Recorder);
    await new TCP6ServerEndpoint(reactor, 82).listen(Recorder);
    await new SSL4ServerEndpoint(reactor, 443, { key: 'k' }, 4, '10.0.0.1').listen(Recorder);
    await new UNIXServerEndpoint(reactor, '/tmp/x.sock', 5, 0o600, true).listen(Recorder);
    expect(reactor.tcpServers).toEqual([
      [81, Recorder, 3, '127.0.0.1'],
      [82, Recorder, 511, '::'],
    ]);
    expect(reactor.sslServers).toEqual([[443, Recorder, { key: 'k' }, 4, '10.0.0.1']]);
    expect(reactor.unixServers).toEqual([['/tmp/x.sock', Recorder, 5, 0o600, true]]);
  });

  it('rejects when the reactor cannot listen', async () => {
    const error = new Error('address in use');
    const reactor = new RaisingMemoryReactor(error);
    await expect(new TCP4ServerEndpoint(reactor, 80).listen(Recorder)).rejects.toBe(error);
    await expect(new UNIXServerEndpoint(reactor, '/x').listen(Recorder)).rejects.toBe(error);
  });
});

describe('client endpoints', () => {
  it('connect with a classic handler resolves with the connected protocol', async () => {
    const reactor = new MemoryReactor();
    const result = new TCP4ClientEndpoint(reactor, 'example.com', 80).connect(Recorder);
    const { transport } = completeConnection(reactor);
    const protocol = await result;
    expect(protocol).toBeInstanceOf(Recorder);
    expect(protocol.transport).toBe(transport);
    expect(protocol.made).toBe(1);
  });

  it('hands the reactor Twisted connect arguments, with a wrapping factory', () => {
    const reactor = new MemoryReactor();
    void new TCP4ClientEndpoint(reactor, 'example.com', 80, 7, ['10.0.0.2', 0]).connect(Recorder);
    void new SSL4ClientEndpoint(reactor, 'example.net', 443, { servername: 'n' }, 3).connect(
      Recorder,
    );
    void new UNIXClientEndpoint(reactor, '/tmp/s.sock', 9, true).connect(Recorder);
    const [host, port, , timeout, bindAddress] = reactor.tcpClients[0]!;
    expect([host, port, timeout, bindAddress]).toEqual(['example.com', 80, 7, ['10.0.0.2', 0]]);
    const [sHost, sPort, sFactory, sOptions, sTimeout, sBind] = reactor.sslClients[0]!;
    expect([sHost, sPort, sOptions, sTimeout, sBind]).toEqual([
      'example.net',
      443,
      { servername: 'n' },
      3,
      undefined,
    ]);
    expect(sFactory).toBeInstanceOf(ClientFactory);
    const [path, uFactory, uTimeout, checkPID] = reactor.unixClients[0]!;
    expect([path, uTimeout, checkPID]).toEqual(['/tmp/s.sock', 9, true]);
    expect(uFactory).toBeInstanceOf(ClientFactory);
  });

  it('relays data and connection loss to the wrapped protocol', async () => {
    const reactor = new MemoryReactor();
    const result = new TCP4ClientEndpoint(reactor, 'h', 1).connect(Factory.forProtocol(Recorder));
    const { wrapper } = completeConnection(reactor);
    const protocol = (await result) as Recorder;
    wrapper.dataReceived(Buffer.from('hello'));
    const reason = new Failure(new ConnectionDone());
    wrapper.connectionLost(reason);
    expect(protocol.received).toEqual(['hello']);
    expect(protocol.lost).toBe(reason);
  });

  it('offers half-close to the transport only when the wrapped protocol handles it', () => {
    class HalfCloser extends Recorder {
      readClosed = 0;
      readConnectionLost(): void {
        this.readClosed += 1;
      }
      writeConnectionLost(): void {}
    }
    const reactor = new MemoryReactor();
    void new TCP4ClientEndpoint(reactor, 'h', 1).connect(Recorder);
    const plain = lastFactory(reactor).buildProtocol(peer) as Protocol & {
      readConnectionLost?: () => void;
    };
    expect(plain.readConnectionLost).toBeUndefined();
    const halfCloser = new HalfCloser();
    void connectProtocol(new TCP4ClientEndpoint(reactor, 'h', 1), halfCloser);
    const wrapper = lastFactory(reactor).buildProtocol(peer) as Protocol & {
      readConnectionLost?: () => void;
    };
    wrapper.readConnectionLost?.();
    expect(halfCloser.readClosed).toBe(1);
  });

  it('connect with no handler resolves with a Connection the caller drives', async () => {
    const reactor = new MemoryReactor();
    const result = new TCP4ClientEndpoint(reactor, 'h', 1).connect();
    const { transport, wrapper } = completeConnection(reactor);
    const conn: Connection = await result;
    await conn.write('ping');
    await turns();
    expect(transport.value().toString()).toBe('ping');
    wrapper.dataReceived(Buffer.from('pong'));
    const iterator = conn[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe('pong');
  });

  it('connect with a stream protocol runs it and resolves with its Connection', async () => {
    const reactor = new MemoryReactor();
    const result = new TCP4ClientEndpoint(reactor, 'h', 1).connect(async function* () {
      yield 'hello from the generator';
    });
    const { transport } = completeConnection(reactor);
    const conn = await result;
    expect(typeof conn.write).toBe('function');
    for (let i = 0; i < 20 && transport.value().length === 0; i++) {
      await turns();
    }
    expect(transport.value().toString()).toBe('hello from the generator');
  });

  it('rejects with the failure reported to clientConnectionFailed', async () => {
    const reactor = new MemoryReactor();
    const result = new TCP4ClientEndpoint(reactor, 'h', 1).connect(Recorder);
    const error = new ConnectionRefusedError();
    lastFactory(reactor).clientConnectionFailed(reactor.connectors[0]!, new Failure(error));
    await expect(result).rejects.toBe(error);
  });

  it('rejects when the reactor throws from its connect method', async () => {
    const error = new ConnectionRefusedError();
    const reactor = new RaisingMemoryReactor(undefined, error);
    await expect(new TCP4ClientEndpoint(reactor, 'h', 1).connect(Recorder)).rejects.toBe(error);
  });

  it('rejects with NoProtocol when the factory builds no protocol, refusing the connection', async () => {
    class Refusing extends Factory {
      override buildProtocol(): Protocol | null {
        return null;
      }
    }
    const reactor = new MemoryReactor();
    const result = new TCP4ClientEndpoint(reactor, 'h', 1).connect(new Refusing());
    expect(lastFactory(reactor).buildProtocol(peer)).toBeNull();
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoProtocol);
    expect((error as NoProtocol).code).toBe('ERR_NO_PROTOCOL');
  });

  it('rejects with what buildProtocol throws', async () => {
    const boom = new Error('boom');
    class Throwing extends Factory {
      override buildProtocol(): Protocol | null {
        throw boom;
      }
    }
    const reactor = new MemoryReactor();
    const result = new TCP4ClientEndpoint(reactor, 'h', 1).connect(new Throwing());
    expect(lastFactory(reactor).buildProtocol(peer)).toBeNull();
    await expect(result).rejects.toBe(boom);
  });

  it('rejects with what the protocol connectionMade throws', async () => {
    const boom = new Error('greeting failed');
    class Failing extends Protocol {
      override connectionMade(): void {
        throw boom;
      }
    }
    const reactor = new MemoryReactor();
    const result = new TCP4ClientEndpoint(reactor, 'h', 1).connect(Failing);
    expect(() => completeConnection(reactor)).toThrow(boom);
    await expect(result).rejects.toBe(boom);
  });

  it('passes start and stop notifications through to the wrapped factory', () => {
    const calls: string[] = [];
    class Counting extends Factory {
      override startFactory(): void {
        calls.push('start');
      }
      override stopFactory(): void {
        calls.push('stop');
      }
    }
    const reactor = new MemoryReactor();
    void new TCP4ClientEndpoint(reactor, 'h', 1).connect(new Counting());
    const factory = lastFactory(reactor);
    factory.doStart();
    factory.doStop();
    expect(calls).toEqual(['start', 'stop']);
  });

  it('aborting the signal stops connecting and rejects with an AbortError (still a CancelledError)', async () => {
    const reactor = new MemoryReactor();
    const controller = new AbortController();
    const result = new TCP4ClientEndpoint(reactor, 'h', 1).connect(Recorder, {
      signal: controller.signal,
    });
    controller.abort();
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).name).toBe('AbortError');
    expect(reactor.connectors[0]!.stoppedConnecting).toBe(true);
    expect(abortListeners(controller.signal)).toBe(0);
    // A late failure report, or a late connection, changes nothing.
    lastFactory(reactor).clientConnectionFailed(
      reactor.connectors[0]!,
      new Failure(new Error('late')),
    );
    expect(lastFactory(reactor).buildProtocol(peer)).toBeNull();
  });

  it('rejects at once, without connecting, when the signal is already aborted', async () => {
    const reactor = new MemoryReactor();
    const signal = AbortSignal.abort();
    await expect(
      new TCP4ClientEndpoint(reactor, 'h', 1).connect({ signal }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(reactor.tcpClients).toHaveLength(0);
  });

  it('removes its abort listener once connected, and a later abort changes nothing', async () => {
    const reactor = new MemoryReactor();
    const controller = new AbortController();
    const result = new TCP4ClientEndpoint(reactor, 'h', 1).connect(Recorder, {
      signal: controller.signal,
    });
    expect(abortListeners(controller.signal)).toBe(1);
    completeConnection(reactor);
    await result;
    expect(abortListeners(controller.signal)).toBe(0);
    controller.abort();
    expect(reactor.connectors[0]!.stoppedConnecting).toBe(false);
  });

  it('removes its abort listener when the attempt fails', async () => {
    const reactor = new MemoryReactor();
    const controller = new AbortController();
    const result = new TCP4ClientEndpoint(reactor, 'h', 1).connect(Recorder, {
      signal: controller.signal,
    });
    lastFactory(reactor).clientConnectionFailed(
      reactor.connectors[0]!,
      new Failure(new ConnectionRefusedError()),
    );
    await expect(result).rejects.toBeInstanceOf(ConnectionRefusedError);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('HostnameEndpoint connects through connectTCP with the host name', () => {
    const reactor = new MemoryReactor();
    void new HostnameEndpoint(reactor, 'example.com', 443, 5).connect(Recorder);
    expect(reactor.tcpClients[0]?.slice(0, 2)).toEqual(['example.com', 443]);
  });
});

describe('connectProtocol', () => {
  it('connects the given protocol instance and resolves with it', async () => {
    const reactor = new MemoryReactor();
    const protocol = new Recorder();
    const result = connectProtocol(new TCP4ClientEndpoint(reactor, 'h', 1), protocol);
    const built = lastFactory(reactor).buildProtocol(peer);
    built!.makeConnection(new StringTransport());
    expect(await result).toBe(protocol);
    expect(protocol.made).toBe(1);
  });
});
