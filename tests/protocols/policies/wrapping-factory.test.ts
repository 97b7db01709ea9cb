import { describe, expect, it } from 'vitest';
import {
  ClientFactory,
  Clock,
  ConnectionDone,
  Failure,
  Factory,
  memoryTransportPair,
  Protocol,
  ProtocolWrapper,
  StreamConnection,
  StringTransport,
  TimeoutFactory,
  WrappingFactory,
} from '../../../lib/index.js';
import { describeConnectionConformance } from '../connection-conformance.js';
import { peer, settle } from './helpers.js';

// A wrapper is transparent: a stream connection behind one (here a
// TimeoutProtocol on each end, the richest wrapper) behaves as without it.
describeConnectionConformance('through ProtocolWrappers', async (handler) => {
  const [ct, st] = memoryTransportPair();
  const wrap = (conn: StreamConnection) =>
    new TimeoutFactory(new Factory(), 60, { clock: new Clock() }).wrapProtocol(conn, peer('x'));
  const [client, server] = [new StreamConnection(), new StreamConnection(handler)];
  st.attach(wrap(server));
  ct.attach(wrap(client));
  return [client, server];
});

class Recorder extends Protocol {
  readonly events: string[] = [];
  override connectionMade() {
    this.events.push('made');
  }
  override dataReceived(data: Uint8Array) {
    this.events.push(`data:${Buffer.from(data)}`);
    this.transport!.write(Buffer.concat([Buffer.from('echo:'), data]));
  }
  override connectionLost(reason: Failure) {
    this.events.push(`lost:${reason.check(ConnectionDone) ? 'done' : 'other'}`);
  }
}

describe('WrappingFactory and ProtocolWrapper', () => {
  it('wraps the protocol of any handler and relays data both ways', () => {
    const factory = new WrappingFactory(Recorder);
    const wrapper = factory.buildProtocol(peer('10.0.0.2')) as ProtocolWrapper;
    expect(wrapper).toBeInstanceOf(ProtocolWrapper);
    const inner = wrapper.wrappedProtocol as Recorder;
    const transport = new StringTransport();
    wrapper.makeConnection(transport);
    expect(inner.transport).toBe(wrapper);
    wrapper.dataReceived(Buffer.from('hi'));
    expect(transport.value().toString()).toBe('echo:hi');
    expect(inner.events).toEqual(['made', 'data:hi']);
    expect(wrapper.getPeer()).toEqual(transport.getPeer());
  });

  it('tracks live protocols: registered when connected, unregistered when lost', () => {
    const factory = new WrappingFactory(Recorder);
    const wrapper = factory.buildProtocol(peer('10.0.0.2')) as ProtocolWrapper;
    expect(factory.protocols.size).toBe(0);
    wrapper.makeConnection(new StringTransport());
    expect([...factory.protocols]).toEqual([wrapper]);
    wrapper.connectionLost(new Failure(new ConnectionDone()));
    expect(factory.protocols.size).toBe(0);
    expect((wrapper.wrappedProtocol as Recorder).events).toEqual(['made', 'lost:done']);
  });

  it('passes start, stop and client notifications to the wrapped factory', () => {
    const calls: string[] = [];
    class Inner extends ClientFactory {
      override noisy = false;
      override startFactory() {
        calls.push('start');
      }
      override stopFactory() {
        calls.push('stop');
      }
      override clientConnectionFailed() {
        calls.push('failed');
      }
    }
    const inner = Inner.forProtocol(Recorder);
    const factory = new WrappingFactory(inner);
    factory.doStart();
    factory.clientConnectionFailed(
      { connect() {}, disconnect() {}, stopConnecting() {}, getDestination: () => peer('x') },
      undefined as unknown as Failure,
    );
    factory.doStop();
    expect(calls).toEqual(['start', 'failed', 'stop']);
    expect(factory.wrappedFactory).toBe(inner);
  });

  it('relays client notifications to any wrapped factory that has them (duck-typed)', () => {
    const seen: unknown[] = [];
    const inner = Object.assign(Factory.forProtocol(Recorder), {
      clientConnectionLost: (_c: unknown, reason: unknown) => seen.push(reason),
    });
    const factory = new WrappingFactory(inner);
    const connector = {
      connect() {},
      disconnect() {},
      stopConnecting() {},
      getDestination: () => peer('x'),
    };
    const reason = new Failure(new ConnectionDone());
    factory.clientConnectionLost(connector, reason);
    factory.clientConnectionFailed(connector, reason); // absent: ignored
    expect(seen).toEqual([reason]);
  });

  it('refuses the connection when the wrapped factory does', () => {
    class Refusing extends Factory {
      override buildProtocol() {
        return null;
      }
    }
    expect(new WrappingFactory(new Refusing()).buildProtocol(peer('10.0.0.2'))).toBeNull();
  });

  it('carries a stream protocol, half-close included, over an in-memory transport', async () => {
    const factory = new WrappingFactory(async function* (conn) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of conn) chunks.push(chunk);
      yield `got ${Buffer.concat(chunks)}`;
    });
    const [ct, st] = memoryTransportPair();
    const client = new Recorder();
    st.attach(factory.buildProtocol(peer('127.0.0.1'))!);
    ct.attach(client);
    await settle();
    ct.write('ping');
    ct.loseWriteConnection();
    await Promise.all([ct.lost, st.lost]);
    expect(client.events).toEqual(['made', 'data:got ping', 'lost:done']);
    expect(factory.protocols.size).toBe(0);
  });

  it('offers startTLS only when the underlying transport does', () => {
    const factory = new WrappingFactory(Recorder);
    const plain = factory.buildProtocol(peer('10.0.0.2')) as ProtocolWrapper;
    plain.makeConnection(new StringTransport());
    expect(plain.startTLS).toBeUndefined();
    const tls = factory.buildProtocol(peer('10.0.0.2')) as ProtocolWrapper;
    tls.makeConnection(memoryTransportPair()[1]);
    expect(typeof tls.startTLS).toBe('function');
    expect(typeof tls.loseWriteConnection).toBe('function');
  });
});
