// ThrottlingFactory: Twisted's test_policies.ThrottlingTests, ported, plus
// the pause bookkeeping woven adds (a throttle never resumes what the
// protocol or the transport paused) and a stream protocol behind it.
import { describe, expect, it } from 'vitest';
import {
  Clock,
  type Connection,
  Factory,
  type IPullProducer,
  type ITLSTransport,
  memoryTransportPair,
  Protocol,
  StringTransportWithDisconnection,
  ThrottlingFactory,
  ThrottlingProtocol,
} from '../../../lib/index.js';
import { peer, policyEvents, settle } from './helpers.js';

/** Twisted's test Server: echoes, and records whether it is paused as a producer. */
class Server extends Protocol {
  paused = false;
  override dataReceived(data: Uint8Array): void {
    this.transport!.write(data);
  }
  pauseProducing(): void {
    this.paused = true;
  }
  resumeProducing(): void {
    this.paused = false;
  }
  stopProducing(): void {}
}

function connected(factory: ThrottlingFactory) {
  const port = factory.buildProtocol(peer('127.0.0.1')) as ThrottlingProtocol;
  const tr = new StringTransportWithDisconnection();
  tr.protocol = port;
  port.makeConnection(tr);
  return { port, tr };
}

describe('ThrottlingFactory (Twisted ThrottlingTests)', () => {
  it('writeSequence is counted', () => {
    const tServer = new ThrottlingFactory(Server, { clock: new Clock() });
    const { port, tr } = connected(tServer);
    port.writeSequence(['bytes', 'bytes', 'bytes', 'bytes']);
    expect(tr.value().toString()).toBe('bytesbytesbytesbytes');
    expect(tServer.writtenThisSecond).toBe(20);
  });

  // Twisted lets the 20 bytes through and pauses at the end of the second for
  // the excess; woven paces within the second: a tenth of a second's worth
  // (1 byte at 10 B/s) passes at once, the rest is held until it is due.
  it('writeLimit: holds the writes past the pace, pausing the producer until they passed', () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Server, { clock, writeLimit: 10 });
    const { port, tr } = connected(tServer);
    port.producer = port.wrappedProtocol as Server;
    port.dataReceived(Buffer.from('0123456789'));
    port.dataReceived(Buffer.from('abcdefghij'));
    const server = port.wrappedProtocol as Server;
    expect(tr.value().toString()).toBe('0');
    expect(tServer.writtenThisSecond).toBe(1);
    expect(server.paused).toBe(true);
    pump(clock, 0.95);
    expect(tr.value().toString()).toBe('0123456789');
    expect(server.paused).toBe(true);
    pump(clock, 1.95);
    expect(tr.value().toString()).toBe('0123456789abcdefghij');
    expect(server.paused).toBe(false);
    pump(clock, 3.05);
    expect(tServer.writtenThisSecond).toBe(0);
  });

  it('readLimit: holds the bytes past the pace, pausing the transport until they passed', () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Server, { clock, readLimit: 10 });
    const { port, tr } = connected(tServer);
    for (const start of [0, 2]) {
      pump(clock, start);
      tr.clear();
      port.dataReceived(Buffer.from('0123456789'));
      port.dataReceived(Buffer.from('abcdefghij'));
      expect(tr.value().toString()).toBe('0'); // the echo shows what reached the protocol
      expect(tServer.readThisSecond).toBe(1);
      expect(tr.producerState).toBe('paused');
      pump(clock, start + 0.95);
      expect(tr.value().toString()).toBe('0123456789');
      expect(tr.producerState).toBe('paused');
      pump(clock, start + 1.95);
      expect(tr.value().toString()).toBe('0123456789abcdefghij');
      expect(tr.producerState).toBe('producing');
    }
  });

  it('maxConnectionCount: refuses (and logs) past the limit, accepts again once one closes', () => {
    const tServer = new ThrottlingFactory(Server, 2);
    const first = connected(tServer);
    connected(tServer);
    const { result, events } = policyEvents(() => tServer.buildProtocol(peer('10.0.0.9')));
    expect(result).toBeNull();
    expect(events).toHaveLength(1);
    expect(events[0]!.peer).toEqual(peer('10.0.0.9'));
    expect(tServer.protocols.size).toBe(2);
    first.tr.loseConnection();
    expect(tServer.connectionCount).toBe(1);
    expect(tServer.buildProtocol(peer('127.0.0.1'))).toBeInstanceOf(ThrottlingProtocol);
  });

  it('checks bandwidth only while connections are open', () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Server, { clock, readLimit: 10, writeLimit: 10 });
    const { tr } = connected(tServer);
    expect(clock.getDelayedCalls()).toHaveLength(2);
    tr.loseConnection();
    expect(tServer.connectionCount).toBe(0);
    expect(clock.getDelayedCalls()).toHaveLength(0);
  });

  it('rejects a limit that is not a positive number', () => {
    expect(() => new ThrottlingFactory(Server, { readLimit: 0 })).toThrow(RangeError);
    expect(() => new ThrottlingFactory(Server, { writeLimit: -1 })).toThrow(RangeError);
  });
});

describe('ThrottlingFactory pause bookkeeping', () => {
  it('an unthrottle does not resume reading the wrapped protocol paused itself', () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Server, { clock, readLimit: 10 });
    const { port, tr } = connected(tServer);
    port.dataReceived(Buffer.alloc(30));
    port.wrappedProtocol.transport!.pauseProducing();
    clock.advance(1);
    expect(tr.producerState).toBe('paused');
    clock.advance(2);
    expect(tr.producerState).toBe('paused');
    port.wrappedProtocol.transport!.resumeProducing();
    expect(tr.producerState).toBe('producing');
  });

  it('a protocol resuming does not end a throttle', () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Server, { clock, readLimit: 10 });
    const { port, tr } = connected(tServer);
    port.dataReceived(Buffer.alloc(30));
    clock.advance(1);
    port.wrappedProtocol.transport!.pauseProducing();
    port.wrappedProtocol.transport!.resumeProducing();
    expect(tr.producerState).toBe('paused');
    clock.advance(2);
    expect(tr.producerState).toBe('producing');
  });

  it('an unthrottle does not resume a producer the transport paused', () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Server, { clock, writeLimit: 10 });
    const { port, tr } = connected(tServer);
    const server = port.wrappedProtocol as Server;
    port.wrappedProtocol.transport!.registerProducer(server, true);
    expect(port.producer).toBe(server);
    port.dataReceived(Buffer.alloc(30));
    clock.advance(1);
    expect(server.paused).toBe(true);
    (tr.producer as Server).pauseProducing(); // the transport's buffer is full
    clock.advance(2);
    expect(server.paused).toBe(true);
    (tr.producer as Server).resumeProducing();
    expect(server.paused).toBe(false);
  });
});

describe('ThrottlingFactory pacing (Clock, in-memory transports)', () => {
  const LIMIT = 1000;

  it('10 × writeLimit bytes written at once reach the transport over 10 s; the close waits', () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Quiet, { clock, writeLimit: LIMIT });
    const { port, tr } = connected(tServer);
    port.wrappedProtocol.transport!.write(Buffer.alloc(10 * LIMIT));
    port.wrappedProtocol.transport!.loseConnection();
    expect(tr.value().byteLength).toBe(LIMIT / 10); // a tenth of a second's worth
    expect(tr.disconnecting).toBe(false); // the close waits for the held writes
    const arrivals = timeline(clock, 11, () => tr.value().byteLength);
    expectNear(arrivals.at(5), 5 * LIMIT, LIMIT / 10); // within one tick's worth
    expectNear(doneAt(arrivals, 10 * LIMIT), 9.9, 0.1);
    expect(tr.disconnecting).toBe(true);
    expect(tServer.writtenThisSecond).toBeLessThanOrEqual(LIMIT);
  });

  it("a stream protocol's writes wait for the pace: 10 × writeLimit reach the peer in 10 s", async () => {
    const clock = new Clock();
    let wroteAt: number | undefined;
    const sender = async (conn: Connection) => {
      for (let i = 0; i < 10; i += 1) await conn.write(Buffer.alloc(LIMIT));
      wroteAt = clock.seconds();
      await conn.close();
    };
    const tServer = new ThrottlingFactory(sender, { clock, writeLimit: LIMIT });
    const sink = new Sink();
    const [ct, st] = memoryTransportPair();
    st.attach(tServer.buildProtocol(peer('127.0.0.1'))!);
    ct.attach(sink);
    const arrivals = await asyncTimeline(clock, 11, () => sink.received);
    expectNear(arrivals.at(5), 5 * LIMIT, LIMIT / 10);
    expectNear(doneAt(arrivals, 10 * LIMIT), 9.9, 0.1);
    expect(wroteAt).toBeGreaterThan(8.9);
    await Promise.all([st.lost, ct.lost]);
    expect(sink.received).toBe(10 * LIMIT);
  });

  /** A server throttled to `readLimit: LIMIT` on a fresh clock, its sink, and both transports. */
  function readLimited() {
    const clock = new Clock();
    const sink = new Sink();
    const tServer = new ThrottlingFactory(serving(sink), { clock, readLimit: LIMIT });
    const [ct, st] = memoryTransportPair();
    st.attach(tServer.buildProtocol(peer('127.0.0.1'))!);
    ct.attach(new Protocol());
    return { clock, sink, ct, st };
  }

  it('10 × readLimit bytes sent at once reach the protocol over 10 s', async () => {
    const { clock, sink, ct, st } = readLimited();
    ct.write(Buffer.alloc(10 * LIMIT));
    const arrivals = await asyncTimeline(clock, 11, () => sink.received);
    expectNear(arrivals.at(5), 5 * LIMIT, LIMIT / 10);
    expectNear(doneAt(arrivals, 10 * LIMIT), 9.9, 0.1);
    ct.loseConnection();
    await Promise.all([st.lost, ct.lost]);
  });

  it('connections share the limit, taking turns', () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Quiet, { clock, writeLimit: LIMIT });
    const a = connected(tServer);
    const b = connected(tServer);
    a.port.wrappedProtocol.transport!.write(Buffer.alloc(LIMIT));
    b.port.wrappedProtocol.transport!.write(Buffer.alloc(LIMIT));
    pump(clock, 1.05);
    const [sentA, sentB] = [a.tr.value().byteLength, b.tr.value().byteLength];
    // A tenth of a second's worth at once (a's, it wrote first), then the pace.
    expectNear(sentA + sentB, LIMIT / 10 + 1.05 * LIMIT, LIMIT / 10);
    expectNear(sentA - LIMIT / 10, sentB, LIMIT / 20);
    pump(clock, 2.05);
    expect([a.tr.value().byteLength, b.tr.value().byteLength]).toEqual([LIMIT, LIMIT]);
  });

  it('a pull producer is asked for more only once the held writes passed', () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Quiet, { clock, writeLimit: LIMIT });
    const { port, tr } = connected(tServer);
    let asked = 0;
    const producer: IPullProducer = {
      resumeProducing: () => {
        asked += 1;
        port.wrappedProtocol.transport!.write(Buffer.alloc(LIMIT));
      },
      stopProducing: () => {},
    };
    port.wrappedProtocol.transport!.registerProducer(producer, false);
    const transportSide = tr.producer as IPullProducer;
    transportSide.resumeProducing(); // the transport asks: a second's worth is written
    transportSide.resumeProducing(); // and asks again at once: it waits
    expect(asked).toBe(1);
    pump(clock, 0.85);
    expect(asked).toBe(1);
    pump(clock, 1.05);
    expect(asked).toBe(2);
  });

  it('startTLS sends the held writes first: they precede the handshake', async () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Quiet, { clock, writeLimit: LIMIT });
    const port = tServer.buildProtocol(peer('127.0.0.1')) as ThrottlingProtocol;
    const tr = new TLSRecordingTransport();
    tr.protocol = port;
    port.makeConnection(tr);
    const transport = port.wrappedProtocol.transport as ITLSTransport;
    transport.write(Buffer.alloc(LIMIT));
    expect(tr.value().byteLength).toBe(LIMIT / 10);
    await transport.startTLS({});
    expect(tr.sentBeforeTLS).toBe(LIMIT);
    expect(clock.getDelayedCalls().filter((c) => c.getTime() < 1)).toHaveLength(0);
  });

  it('received bytes still held are delivered before the connection is lost', async () => {
    const { clock, sink, ct, st } = readLimited();
    ct.write(Buffer.alloc(5 * LIMIT));
    await settle();
    expect(sink.received).toBe(LIMIT / 10);
    st.abortConnection();
    await st.lost;
    expect(sink.received).toBe(5 * LIMIT);
    expect(clock.getDelayedCalls()).toHaveLength(0);
  });
});

/** Writes only what it is told to. */
class Quiet extends Protocol {}

/** A factory whose one protocol is `protocol`. */
function serving(protocol: Protocol): Factory {
  const factory = new Factory();
  factory.buildProtocol = () => protocol;
  return factory;
}

/** Within one tick (or `tolerance`) of `expected`. */
function expectNear(value: number | undefined, expected: number, tolerance: number): void {
  expect(value).toBeDefined();
  expect(Math.abs(value! - expected)).toBeLessThanOrEqual(tolerance + 1e-9);
}

/** Records how much was written when `startTLS` was called. */
class TLSRecordingTransport extends StringTransportWithDisconnection {
  sentBeforeTLS: number | undefined;
  startTLS(): Promise<void> {
    this.sentBeforeTLS = this.value().byteLength;
    return Promise.resolve();
  }
}

/** Counts what it receives. */
class Sink extends Protocol {
  received = 0;
  override dataReceived(data: Uint8Array): void {
    this.received += data.byteLength;
  }
}

const STEP = 0.05;

/** Advance `clock` to `until` in small steps, as time passes. */
function pump(clock: Clock, until: number): void {
  while (clock.seconds() < until - 1e-9) clock.advance(Math.min(STEP, until - clock.seconds()));
}

/** `measure()` at every step for `seconds` (synchronous transports). */
function timeline(clock: Clock, seconds: number, measure: () => number): Timeline {
  const points: [number, number][] = [];
  for (let t = 0; t <= seconds; t += STEP) {
    pump(clock, t);
    points.push([clock.seconds(), measure()]);
  }
  return new Timeline(points);
}

/** The same, letting in-memory transports deliver between steps. */
async function asyncTimeline(clock: Clock, seconds: number, measure: () => number) {
  const points: [number, number][] = [];
  for (let t = 0; t <= seconds; t += STEP) {
    pump(clock, t);
    await settle();
    points.push([clock.seconds(), measure()]);
  }
  return new Timeline(points);
}

/** Measurements over clock time. */
class Timeline {
  constructor(readonly points: [number, number][]) {}
  /** The measurement at `time` (the last one taken by then). */
  at(time: number): number {
    return this.points.filter(([t]) => t <= time + 1e-9).at(-1)![1];
  }
}

/** When the measurement first reached `total`. */
function doneAt(timeline: Timeline, total: number): number | undefined {
  return timeline.points.find(([, value]) => value >= total)?.[0];
}
