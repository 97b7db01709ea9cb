import { describe, expect, it } from 'vitest';
import {
  type Address,
  Clock,
  ConnectionAborted,
  ConnectionDone,
  ConnectionLost,
  connectionPair,
  type Data,
  Failure,
  type IPullProducer,
  type IPushProducer,
  type ITransport,
  lines,
  memoryTransportPair,
  type StreamProtocol,
  StreamConnection,
  StringTransport,
} from '../../lib/index.js';
import { loggedDuring, loggedWhile, readAll, turns, abortListeners } from '../helpers.js';

const decoder = new TextDecoder();
const text = (d: Data): string => (typeof d === 'string' ? d : decoder.decode(d));

/** A transport that records every call, for white-box checks. */
class RecordingTransport implements ITransport {
  calls: string[] = [];
  writes: string[] = [];
  producer: IPushProducer | IPullProducer | null = null;
  halfClose = true;
  write(data: Data): void {
    this.calls.push('write');
    this.writes.push(text(data));
  }
  writeSequence(data: Iterable<Data>): void {
    this.calls.push('writeSequence');
    this.writes.push([...data].map(text).join(''));
  }
  loseConnection(): void {
    this.calls.push('loseConnection');
  }
  abortConnection(): void {
    this.calls.push('abortConnection');
  }
  getPeer(): Address {
    return { type: 'TCP', host: '10.0.0.2', port: 2 };
  }
  getHost(): Address {
    return { type: 'TCP', host: '10.0.0.1', port: 1 };
  }
  registerProducer(producer: IPushProducer | IPullProducer): void {
    this.producer = producer;
  }
  unregisterProducer(): void {
    this.producer = null;
  }
  pauseProducing(): void {
    this.calls.push('pauseProducing');
  }
  resumeProducing(): void {
    this.calls.push('resumeProducing');
  }
  stopProducing(): void {}
}

class HalfCloseTransport extends RecordingTransport {
  loseWriteConnection(): void {
    this.calls.push('loseWriteConnection');
  }
}

function connect(handler?: StreamProtocol, transport = new RecordingTransport()) {
  const conn = new StreamConnection(handler, { readHighWaterMark: 10 });
  conn.makeConnection(transport);
  return { conn, transport };
}

describe('StreamConnection', () => {
  it('registers itself as a streaming producer on its transport', () => {
    const { transport } = connect();
    expect(transport.producer).not.toBeNull();
  });

  it('writes what a generator yields synchronously from one chunk in a single writeSequence', async () => {
    const { conn, transport } = connect(async function* (c) {
      for await (const chunk of c) {
        for (const line of text(chunk).split(' ')) yield `${line}\n`;
      }
    });
    conn.dataReceived(new TextEncoder().encode('a b c d'));
    await turns(3);
    expect(transport.calls.filter((c) => c.startsWith('write'))).toEqual(['writeSequence']);
    expect(transport.writes).toEqual(['a\nb\nc\nd\n']);
  });

  it('sends what a generator yielded before it waits on something other than input', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { transport } = connect(async function* () {
      yield 'prompt> ';
      await gate;
      yield 'done';
    });
    await turns(2);
    expect(transport.writes).toEqual(['prompt> ']);
    release();
    await turns(2);
    expect(transport.writes).toEqual(['prompt> ', 'done']);
  });

  it('keeps yields in order with direct writes', async () => {
    const { transport } = connect(async function* (c) {
      yield 'one ';
      await c.write('two ');
      yield 'three';
    });
    await turns(3);
    expect(transport.writes.join('')).toBe('one two three');
    expect(transport.calls.at(-1)).toBe('loseConnection');
  });

  it('pauses the transport when unread data exceeds the high-water mark, and resumes when drained', async () => {
    const { conn, transport } = connect();
    const chunk = new Uint8Array(6);
    conn.dataReceived(chunk);
    expect(transport.calls).not.toContain('pauseProducing');
    conn.dataReceived(chunk);
    expect(transport.calls).toEqual(['pauseProducing']);
    conn.dataReceived(chunk); // the transport may still deliver a little
    expect(transport.calls).toEqual(['pauseProducing']);
    const it = conn[Symbol.asyncIterator]();
    await it.next();
    await it.next();
    expect(transport.calls).toEqual(['pauseProducing']); // 6 bytes left: above half the mark
    await it.next();
    expect(transport.calls).toEqual(['pauseProducing', 'resumeProducing']);
  });

  it('write() resolves at once until the transport pauses it, then on resume', async () => {
    const { conn, transport } = connect();
    await conn.write('a');
    (transport.producer as IPushProducer).pauseProducing();
    let resolved = false;
    const w = conn.write('b').then(() => {
      resolved = true;
    });
    await turns(2);
    expect(resolved).toBe(false);
    (transport.producer as IPushProducer).resumeProducing();
    await w;
    expect(resolved).toBe(true);
  });

  it('a generator waits for the transport to resume before asking for more', async () => {
    let produced = 0;
    const { transport } = connect(async function* () {
      for (let i = 0; i < 1000; i++) {
        produced += 1;
        yield 'x'.repeat(1000);
      }
    });
    (transport.producer as IPushProducer).pauseProducing();
    await turns(5);
    const before = produced;
    expect(before).toBeLessThan(1000);
    await turns(5);
    expect(produced).toBe(before);
    (transport.producer as IPushProducer).resumeProducing();
    await turns(5);
    expect(produced).toBeGreaterThan(before);
  });

  it('end() half-closes with loseWriteConnection when the transport supports it', async () => {
    const { conn, transport } = connect(undefined, new HalfCloseTransport());
    await conn.end('last');
    expect(transport.calls).toEqual(['write', 'loseWriteConnection']);
  });

  it('end() falls back to loseConnection', async () => {
    const { conn, transport } = connect();
    await conn.end();
    expect(transport.calls).toEqual(['loseConnection']);
  });

  it('ends iteration on ConnectionDone and throws ConnectionLost on any other reason, keeping the cause', async () => {
    const clean = connect().conn;
    clean.dataReceived(new TextEncoder().encode('data'));
    clean.connectionLost(new Failure(new ConnectionDone()));
    expect(await readAll(clean)).toBe('data');

    const unclean = connect().conn;
    const cause = new Error('ECONNRESET');
    unclean.connectionLost(new Failure(cause));
    const err = await readAll(unclean).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionLost);
    expect((err as Error).cause).toBe(cause);
    expect(unclean.signal.reason).toBe(err);
  });

  it('abort(reason) wraps the reason in ConnectionAborted for the signal', async () => {
    const { conn, transport } = connect();
    const reason = new Error('timeout');
    conn.abort(reason);
    expect(transport.calls).toEqual(['abortConnection']);
    conn.connectionLost(new Failure(new ConnectionLost()));
    expect(conn.signal.reason).toBeInstanceOf(ConnectionAborted);
    expect((conn.signal.reason as Error).cause).toBe(reason);
  });

  it('creates its signal lazily and adds no abort listeners of its own', () => {
    const { conn } = connect();
    const signal = conn.signal;
    expect(conn.signal).toBe(signal);
    expect(abortListeners(signal)).toBe(0);
    conn.connectionLost(new Failure(new ConnectionDone()));
    expect(signal.aborted).toBe(true);
    const late = connect().conn;
    late.connectionLost(new Failure(new ConnectionDone()));
    expect(late.signal.aborted).toBe(true);
    expect(late.signal.reason).toBeInstanceOf(ConnectionDone);
  });

  it('reports the transport’s addresses', () => {
    const { conn } = connect();
    expect(conn.localAddress).toEqual({ type: 'TCP', host: '10.0.0.1', port: 1 });
    expect(conn.remoteAddress).toEqual({ type: 'TCP', host: '10.0.0.2', port: 2 });
  });

  it('startTLS rejects with TypeError on a transport without TLS', async () => {
    const { conn } = connect();
    await expect(conn.startTLS({})).rejects.toBeInstanceOf(TypeError);
  });

  it('startTLS hands pending bytes and unread data to the transport, in order', async () => {
    const [ct, st] = memoryTransportPair();
    const client = new StreamConnection();
    const server = new StreamConnection();
    st.attach(server);
    ct.attach(client);
    await client.write('after-starttls');
    await turns(2);
    const serverTLS = server.startTLS({ isServer: true }, new TextEncoder().encode('pending:'));
    await client.startTLS({});
    await serverTLS;
    expect(st.secure && ct.secure).toBe(true);
    await client.end();
    expect(await readAll(server)).toBe('pending:after-starttls');
    await server.close();
  });

  it('can be driven by a StringTransport', async () => {
    const transport = new StringTransport();
    const conn = new StreamConnection(async function* (c) {
      for await (const chunk of c) yield text(chunk).toUpperCase();
    });
    conn.makeConnection(transport);
    conn.dataReceived(new TextEncoder().encode('hello'));
    await turns(3);
    expect(transport.value().toString()).toBe('HELLO');
  });

  it('a plain function handler that returns nothing leaves the connection open', async () => {
    const { transport } = connect(((c: StreamConnection) => {
      void c.write('hi');
    }) as unknown as StreamProtocol);
    await turns(3);
    expect(transport.calls).toEqual(['write']);
  });

  it('delivers queued data and the clean end to a reader over connectionPair even when reads were paused', async () => {
    const [client, server] = connectionPair({ readHighWaterMark: 4 });
    await client.write('0123456789');
    await client.write('abcdefghij');
    await client.end();
    await turns(3);
    expect(server.signal.aborted).toBe(false); // the EOF waits behind the paused reads
    expect(await readAll(server)).toBe('0123456789abcdefghij');
    await server.close();
    expect(server.signal.reason).toBeInstanceOf(ConnectionDone);
  });
});

describe('StreamConnection after close', () => {
  it('stops a generator that yields after close(), running its finally', async () => {
    let finalized = false;
    const { transport } = connect(async function* (c) {
      try {
        yield 'before';
        void c.close(); // this fake transport never reports the loss
        yield 'after';
      } finally {
        finalized = true;
      }
    });
    await turns(3);
    expect(finalized).toBe(true);
    expect(transport.writes.join('')).toBe('before');
  });

  it('keeps the write side open after the peer’s EOF with allowHalfOpen', async () => {
    const [ct, st] = memoryTransportPair();
    const client = new StreamConnection();
    const server = new StreamConnection(undefined, { allowHalfOpen: true });
    st.attach(server);
    ct.attach(client);
    await client.end('question');
    expect(await readAll(server)).toBe('question');
    await server.end('answer');
    expect(await readAll(client)).toBe('answer');
    await Promise.all([client.closed, server.closed]);
  });
});

describe('StreamConnection failures', () => {
  it('does not log a handler that fails only because its connection was lost', async () => {
    const [events] = await loggedDuring(async () => {
      const [client, server] = connectionPair({
        server: async (conn) => {
          await readAll(conn); // throws ConnectionLost
        },
      });
      client.abort();
      await server.closed;
      await turns(3);
    });
    expect(events.filter((e) => e.log_failure)).toEqual([]);
  });

  it('a failed startTLS rejects for whoever awaits and is harmless otherwise', async () => {
    const transport = Object.assign(new RecordingTransport(), {
      startTLS: () => Promise.reject(new Error('handshake failed')),
    });
    const { conn } = connect(undefined, transport);
    void conn.startTLS({});
    await expect(conn.startTLS({})).rejects.toThrow('handshake failed');
    await turns(2);
  });
});

describe('StreamConnection: the graceful close after a framing error', () => {
  const shout: StreamProtocol = async function* (conn) {
    for await (const line of lines(conn, { encoding: 'utf8', maxLength: 16 })) {
      yield `${line.toUpperCase()}\r\n`;
    }
  };

  /** A connection running `shout` on a StringTransport (whose close never completes by itself). */
  async function afterFramingError(options: { closeTimeout?: number } = {}) {
    const clock = new Clock();
    const transport = new StringTransport();
    const conn = new StreamConnection(shout, { ...options, clock });
    conn.makeConnection(transport);
    conn.dataReceived(new TextEncoder().encode(`hi\r\n${'x'.repeat(40)}`));
    await turns(5);
    return { clock, transport, conn };
  }

  it('flushes what was yielded, closes gracefully, and aborts a peer that never reads at closeTimeout', async () => {
    const { clock, transport, conn } = await afterFramingError({ closeTimeout: 5 });
    expect(transport.value().toString()).toBe('HI\r\n');
    expect(transport.disconnecting).toBe(true);
    expect(transport.disconnected).toBe(false);
    const [atDeadline] = loggedWhile(() => {
      clock.advance(4.9);
      expect(transport.disconnected).toBe(false);
      clock.advance(0.1);
    });
    expect(transport.disconnected).toBe(true); // abortConnection()
    const line = atDeadline.find((e) => String(e.log_format).startsWith('aborting the connection'));
    expect(line).toMatchObject({ peer: expect.any(String), timeout: 5, log_level: 'info' });
    conn.connectionLost(new Failure(new ConnectionLost()));
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('defaults to 30 s, and cancels its deadline when the close completes first', async () => {
    const { clock, transport, conn } = await afterFramingError();
    expect(clock.getDelayedCalls().map((c) => c.getTime())).toEqual([30]);
    conn.connectionLost(new Failure(new ConnectionDone()));
    expect(clock.getDelayedCalls()).toEqual([]);
    clock.advance(60);
    expect(transport.disconnected).toBe(false);
  });

  it('rejects a negative closeTimeout', () => {
    expect(() => new StreamConnection(shout, { closeTimeout: -1 })).toThrow(RangeError);
  });
});
