// ThrottlingFactory: Twisted's test_policies.ThrottlingTests, ported, plus
// the pause bookkeeping woven adds (a throttle never resumes what the
// protocol or the transport paused) and a stream protocol behind it.
import { describe, expect, it } from 'vitest';
import {
  Clock,
  type Connection,
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

  it('writeLimit: pauses the producer for the excess, then resumes it', () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Server, { clock, writeLimit: 10 });
    const { port, tr } = connected(tServer);
    port.producer = port.wrappedProtocol as Server;
    port.dataReceived(Buffer.from('0123456789'));
    port.dataReceived(Buffer.from('abcdefghij'));
    expect(tr.value().toString()).toBe('0123456789abcdefghij');
    expect(tServer.writtenThisSecond).toBe(20);
    const server = port.wrappedProtocol as Server;
    expect(server.paused).toBe(false);
    clock.advance(1.05);
    expect(tServer.writtenThisSecond).toBe(0);
    expect(server.paused).toBe(true);
    clock.advance(1.05);
    expect(tServer.writtenThisSecond).toBe(0);
    expect(server.paused).toBe(false);
  });

  it('readLimit: pauses the transport for the excess, then resumes it, every second', () => {
    const clock = new Clock();
    const tServer = new ThrottlingFactory(Server, { clock, readLimit: 10 });
    const { port, tr } = connected(tServer);
    for (let round = 0; round < 2; round += 1) {
      tr.clear();
      port.dataReceived(Buffer.from('0123456789'));
      port.dataReceived(Buffer.from('abcdefghij'));
      expect(tr.value().toString()).toBe('0123456789abcdefghij');
      expect(tServer.readThisSecond).toBe(20);
      clock.advance(1.05);
      expect(tServer.readThisSecond).toBe(0);
      expect(tr.producerState).toBe('paused');
      clock.advance(1.05);
      expect(tServer.readThisSecond).toBe(0);
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

describe('ThrottlingFactory around a stream protocol', () => {
  it("holds the stream's writes while throttled (memory transports, Clock)", async () => {
    const clock = new Clock();
    let go!: () => void;
    const later = new Promise<void>((resolve) => {
      go = resolve;
    });
    let resolvedAt: number | undefined;
    const sender = async (conn: Connection) => {
      await conn.write(Buffer.alloc(3000));
      await later;
      await conn.write(Buffer.alloc(10));
      resolvedAt = clock.seconds();
      await conn.close();
    };
    const tServer = new ThrottlingFactory(sender, { clock, writeLimit: 1000 });
    const [ct, st] = memoryTransportPair();
    let received = 0;
    class Sink extends Protocol {
      override dataReceived(data: Uint8Array): void {
        received += data.byteLength;
      }
    }
    st.attach(tServer.buildProtocol(peer('127.0.0.1'))!);
    ct.attach(new Sink());
    await settle();
    expect(received).toBe(3000);
    clock.advance(1); // 3000 bytes in a second at 1000/s: writes pause for 2 s
    go();
    for (let i = 0; i < 20 && resolvedAt === undefined; i += 1) {
      await settle();
      clock.advance(0.25);
    }
    expect(resolvedAt).toBe(3);
    await Promise.all([st.lost, ct.lost]);
    expect(received).toBe(3010);
  });
});
