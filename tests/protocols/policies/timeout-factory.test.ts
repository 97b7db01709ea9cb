import { afterEach, describe, expect, it } from 'vitest';
import {
  Clock,
  type Connection,
  ConnectionDone,
  connect,
  type InetAddress,
  listen,
  memoryTransportPair,
  Protocol,
  StringTransport,
  TimeoutFactory,
  TimeoutProtocol,
} from '../../../lib/index.js';
import { peer, policyEvents, settle } from './helpers.js';

class Quiet extends Protocol {}

function wrapped(factory: TimeoutFactory) {
  const proto = factory.buildProtocol(peer('10.0.0.2')) as TimeoutProtocol;
  const transport = new StringTransport();
  proto.makeConnection(transport);
  return { proto, transport };
}

describe('TimeoutFactory (classic)', () => {
  it('closes a connection that stays idle for the timeout, and logs it', () => {
    const clock = new Clock();
    const { proto, transport } = wrapped(new TimeoutFactory(Quiet, 3, { clock }));
    expect(proto).toBeInstanceOf(TimeoutProtocol);
    clock.advance(2.9);
    expect(transport.disconnecting).toBe(false);
    const { events } = policyEvents(() => clock.advance(0.1));
    expect(transport.disconnecting).toBe(true);
    expect(events).toHaveLength(1);
    expect(proto.timeoutCall).toBeNull();
  });

  it('restarts the countdown on every chunk received', () => {
    const clock = new Clock();
    const { proto, transport } = wrapped(new TimeoutFactory(Quiet, 3, { clock }));
    for (let i = 0; i < 5; i += 1) {
      clock.advance(2);
      proto.dataReceived(Buffer.from('x'));
    }
    expect(transport.disconnecting).toBe(false);
    clock.advance(3);
    expect(transport.disconnecting).toBe(true);
  });

  it('restarts on writes too by default (as Twisted), not with resetOnWrite: false', () => {
    class Talker extends Protocol {}
    for (const resetOnWrite of [true, false]) {
      const clock = new Clock();
      const { proto, transport } = wrapped(new TimeoutFactory(Talker, 3, { clock, resetOnWrite }));
      clock.advance(2);
      proto.wrappedProtocol.transport!.write('out');
      proto.wrappedProtocol.transport!.writeSequence(['a', 'b']);
      clock.advance(2);
      expect(transport.disconnecting).toBe(!resetOnWrite);
    }
  });

  it('cancels the timer when the connection is lost, and on cancelTimeout', () => {
    const clock = new Clock();
    const factory = new TimeoutFactory(Quiet, 3, { clock });
    const a = wrapped(factory);
    a.proto.cancelTimeout();
    expect(clock.getDelayedCalls()).toHaveLength(0);
    const [ct, st] = memoryTransportPair();
    st.attach(factory.buildProtocol(peer('10.0.0.2'))!);
    ct.attach(new Quiet());
    expect(clock.getDelayedCalls()).toHaveLength(1);
    ct.abortConnection();
    return st.lost.then(() => expect(clock.getDelayedCalls()).toHaveLength(0));
  });

  it('defaults to 30 minutes', () => {
    const clock = new Clock();
    const { transport } = wrapped(new TimeoutFactory(Quiet, undefined, { clock }));
    clock.advance(30 * 60 - 1);
    expect(transport.disconnecting).toBe(false);
    clock.advance(1);
    expect(transport.disconnecting).toBe(true);
  });
});

describe('TimeoutProtocol (as Twisted)', () => {
  const noTimeout = () => {
    const clock = new Clock();
    return { clock, ...wrapped(new TimeoutFactory(Quiet, null, { clock })) };
  };

  it('starts without a timeout when the period is null, and setTimeout starts one', () => {
    const { clock, proto, transport } = noTimeout();
    expect(proto.timeoutCall).toBeNull();
    proto.cancelTimeout(); // nothing to cancel
    proto.setTimeout(3);
    clock.advance(1);
    proto.cancelTimeout();
    expect(proto.timeoutCall).toBeNull();
    clock.advance(3);
    expect(transport.disconnecting).toBe(false);
  });

  it('cancelTimeout is harmless after the timeout fired or was cancelled elsewhere', () => {
    const fired = noTimeout();
    fired.proto.setTimeout(3);
    fired.clock.advance(3);
    expect(fired.transport.disconnecting).toBe(true);
    fired.proto.cancelTimeout();
    const cancelled = noTimeout();
    cancelled.proto.setTimeout(3);
    cancelled.proto.timeoutCall!.cancel();
    cancelled.proto.cancelTimeout();
    expect(cancelled.transport.disconnecting).toBe(false);
  });
});

describe('TimeoutFactory (stream style)', () => {
  it('ends an idle stream connection: the handler sees a clean end', async () => {
    const clock = new Clock();
    const seen: string[] = [];
    const factory = new TimeoutFactory(
      async (conn: Connection) => {
        for await (const chunk of conn) seen.push(Buffer.from(chunk).toString());
        seen.push('end');
      },
      5,
      { clock, resetOnWrite: false },
    );
    const [ct, st] = memoryTransportPair();
    st.attach(factory.buildProtocol(peer('127.0.0.1'))!);
    ct.attach(new Quiet());
    await settle();
    clock.advance(4);
    ct.write('still here');
    await settle();
    clock.advance(4);
    expect(seen).toEqual(['still here']);
    clock.advance(1);
    await Promise.all([st.lost, ct.lost]);
    await settle();
    expect(seen).toEqual(['still here', 'end']);
  });
});

describe('TimeoutFactory over TCP', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('closes a silent client while others keep talking', async () => {
    const clock = new Clock();
    const port = await listen(
      'tcp:0:interface=127.0.0.1',
      new TimeoutFactory(
        async function* (conn: Connection) {
          for await (const chunk of conn) yield chunk;
        },
        10,
        { clock },
      ),
    );
    cleanups.push(() => port.stopListening());
    const where = `tcp:127.0.0.1:${(port.getHost() as InetAddress).port}`;
    const silent = await connect(where);
    const chatty = await connect(where);
    cleanups.push(
      async () => silent.abort(),
      async () => chatty.abort(),
    );
    const reader = chatty[Symbol.asyncIterator]();
    await chatty.write('ping');
    expect(Buffer.from((await reader.next()).value).toString()).toBe('ping');
    clock.advance(6);
    await chatty.write('pong');
    expect(Buffer.from((await reader.next()).value).toString()).toBe('pong');
    clock.advance(6);
    await silent.closed;
    expect(silent.signal.reason).toBeInstanceOf(ConnectionDone);
    expect(chatty.signal.aborted).toBe(false);
  });
});
