import { afterEach, describe, expect, it } from 'vitest';
import {
  type Connection,
  ConnectionDone,
  connect,
  Failure,
  type Handler,
  type InetAddress,
  LimitConnectionsByPeer,
  LimitTotalConnectionsFactory,
  listen,
  Protocol,
  type ProtocolWrapper,
  StringTransport,
  TimeoutFactory,
  type WrappingFactory,
} from '../../../lib/index.js';
import { captureLog, Echo, roundTrip } from '../../helpers.js';
import { peer, policyEvents } from './helpers.js';

/** Build and connect a protocol from `factory` for a peer on `host`; null when refused. */
function open(factory: { buildProtocol(a: ReturnType<typeof peer>): unknown }, host = '10.0.0.2') {
  const p = factory.buildProtocol(peer(host)) as ProtocolWrapper | null;
  p?.makeConnection(new StringTransport());
  return p;
}
const lose = (p: ProtocolWrapper) => p.connectionLost(new Failure(new ConnectionDone()));

describe('LimitTotalConnectionsFactory', () => {
  it('refuses connections beyond the limit, logs them, and accepts again once one closes', () => {
    const factory = new LimitTotalConnectionsFactory(Echo, 2);
    const a = open(factory)!;
    open(factory, '10.0.0.3');
    const { result, events } = policyEvents(() => open(factory, '10.0.0.4'));
    expect(result).toBeNull();
    expect(events).toHaveLength(1);
    expect(events[0]!.log_level).toBeDefined();
    expect(factory.connectionCount).toBe(2);
    lose(a);
    expect(factory.connectionCount).toBe(1);
    expect(open(factory, '10.0.0.4')).not.toBeNull();
  });

  it('gives excess connections the overflow protocol instead, counting them', () => {
    class Busy extends Protocol {
      override connectionMade() {
        this.transport!.write('busy\r\n');
        this.transport!.loseConnection();
      }
    }
    const factory = new LimitTotalConnectionsFactory(Echo, 1, { overflowProtocol: Busy });
    open(factory);
    const overflow = open(factory)!;
    expect(overflow.wrappedProtocol).toBeInstanceOf(Busy);
    expect((overflow.transport as StringTransport).value().toString()).toBe('busy\r\n');
    expect(factory.connectionCount).toBe(2);
    lose(overflow);
    expect(factory.connectionCount).toBe(1);
  });

  it('has no limit when the limit is null', () => {
    const factory = new LimitTotalConnectionsFactory(Echo);
    for (let i = 0; i < 100; i += 1) expect(open(factory)).not.toBeNull();
    expect(factory.connectionCount).toBe(100);
  });

  it('does not count a connection an inner policy refused', () => {
    const factory = new LimitTotalConnectionsFactory(new LimitConnectionsByPeer(Echo, 1), 5);
    open(factory);
    policyEvents(() => expect(open(factory)).toBeNull());
    expect(factory.connectionCount).toBe(1);
  });
});

describe('LimitConnectionsByPeer', () => {
  it('refuses a host over its limit while other hosts are served', () => {
    const factory = new LimitConnectionsByPeer(Echo, 2);
    const a = open(factory, '10.0.0.2')!;
    open(factory, '10.0.0.2');
    const { result, events } = policyEvents(() => open(factory, '10.0.0.2'));
    expect(result).toBeNull();
    expect(events).toHaveLength(1);
    expect(events[0]!.host).toBe('10.0.0.2');
    expect(open(factory, '10.0.0.3')).not.toBeNull();
    expect(Object.fromEntries(factory.peerConnections)).toEqual({ '10.0.0.2': 2, '10.0.0.3': 1 });
    lose(a);
    expect(open(factory, '10.0.0.2')).not.toBeNull();
  });

  it('forgets a host once its last connection closes', () => {
    const factory = new LimitConnectionsByPeer(Echo);
    expect(factory.maxConnectionsPerPeer).toBe(5);
    const p = open(factory)!;
    lose(p);
    expect(factory.peerConnections.size).toBe(0);
  });
});

describe('limits over TCP', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it.each([
    ['LimitConnectionsByPeer', LimitConnectionsByPeer],
    ['LimitTotalConnectionsFactory', LimitTotalConnectionsFactory],
  ] as const)('%s: a flood of idle connections cannot exhaust the server', async (_, Limit) => {
    let freed: () => void = () => {};
    const Base: new (handler: Handler, limit: number) => WrappingFactory = Limit;
    class Watched extends Base {
      override unregisterProtocol(p: ProtocolWrapper) {
        super.unregisterProtocol(p);
        freed();
      }
    }
    // A limit of 3, and an idle timeout as a second line of defence.
    const factory = new Watched(new TimeoutFactory(Echo, 60), 3);
    const port = await listen('tcp:0:interface=127.0.0.1', factory);
    cleanups.push(() => port.stopListening());
    const where = `tcp:127.0.0.1:${(port.getHost() as InetAddress).port}`;
    const log = captureLog();
    cleanups.push(log.stop);
    const flood: Connection[] = [];
    for (let i = 0; i < 6; i += 1) {
      const conn = await connect(where);
      cleanups.push(() => conn.abort());
      flood.push(conn);
    }
    // The three excess connections are closed by the server at once, and logged.
    await Promise.all(flood.slice(3).map((c) => c.closed));
    expect(log.events.filter((e) => e.log_namespace === 'woven.policies')).toHaveLength(3);
    expect(flood.slice(0, 3).some((c) => c.signal.aborted)).toBe(false);
    // The accepted ones are still served, and a freed slot is reusable.
    expect(await roundTrip(flood[0]!, 'hello')).toBe('hello');
    const slotFreed = new Promise<void>((resolve) => {
      freed = resolve;
    });
    await flood[1]!.close();
    await slotFreed;
    const again = await connect(where);
    cleanups.push(() => again.abort());
    expect(await roundTrip(again, 'again')).toBe('again');
  });
});
