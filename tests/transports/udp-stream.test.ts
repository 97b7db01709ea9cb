import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionClosedError,
  ConnectionRefusedError,
  type DatagramHandler,
  DatagramStream,
  type IUDPTransport,
  Reactor,
  UDPPort,
} from '../../lib/index.js';
import { loggedDuring, abortListeners, turns } from '../helpers.js';
import { Recorder, sendFrom, UDPResources } from './udp-helpers.js';

const reactor = new Reactor();
const res = new UDPResources();
afterEach(() => res.closeAll());

const addr = { type: 'UDP', host: '127.0.0.1', port: 9 } as const;
const bytes = (text: string) => new TextEncoder().encode(text);

/** An in-memory UDP transport recording writes. */
function memoryTransport(): IUDPTransport & { written: unknown[][]; stops: number } {
  return {
    written: [],
    stops: 0,
    write(packet, to) {
      this.written.push([packet, to]);
    },
    connect() {},
    getHost: () => ({ type: 'UDP', host: '127.0.0.1', port: 4000 }),
    async stopListening() {
      this.stops += 1;
    },
    loseConnection() {},
    setBroadcastAllowed() {},
    getBroadcastAllowed: () => false,
  };
}

describe('DatagramStream (in memory)', () => {
  it('yields buffered datagrams in order and ends when the protocol stops', async () => {
    const stream = new DatagramStream();
    stream.makeConnection(memoryTransport());
    stream.datagramReceived(bytes('a'), addr);
    stream.datagramReceived(bytes('b'), addr);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const d of stream) seen.push(new TextDecoder().decode(d.data));
    })();
    await turns();
    stream.datagramReceived(bytes('c'), addr);
    stream.doStop();
    await reading;
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(stream.signal.aborted).toBe(true);
    expect(stream.signal.reason).toBeInstanceOf(ConnectionClosedError);
  });

  it('drops datagrams past highWaterMark and counts them', async () => {
    const stream = new DatagramStream(2);
    stream.makeConnection(memoryTransport());
    for (const t of ['1', '2', '3', '4', '5']) stream.datagramReceived(bytes(t), addr);
    expect(stream.dropped).toBe(3);
    stream.doStop();
    const seen: string[] = [];
    for await (const d of stream) seen.push(new TextDecoder().decode(d.data));
    expect(seen).toEqual(['1', '2']);
  });

  it('makes the pending read throw ConnectionRefusedError on a refusal', async () => {
    const stream = new DatagramStream();
    stream.makeConnection(memoryTransport());
    const iterator = stream[Symbol.asyncIterator]();
    const pending = iterator.next();
    stream.connectionRefused();
    await expect(pending).rejects.toBeInstanceOf(ConnectionRefusedError);
    stream.connectionRefused();
    await expect(iterator.next()).rejects.toBeInstanceOf(ConnectionRefusedError);
  });

  it('sends what the handler yields and stops the port when it returns', async () => {
    const transport = memoryTransport();
    const stream = new DatagramStream();
    stream.makeConnection(transport);
    const handler: DatagramHandler = async function* (socket) {
      for await (const d of socket) {
        yield d;
        yield { data: 'to another', addr: ['127.0.0.1', 10] as const };
        return;
      }
    };
    const running = stream.run(handler);
    stream.datagramReceived(bytes('ping'), addr);
    await running;
    expect(transport.written).toEqual([
      [bytes('ping'), addr],
      ['to another', ['127.0.0.1', 10]],
    ]);
    expect(transport.stops).toBe(1);
  });

  it('logs a handler that throws and stops the port', async () => {
    const transport = memoryTransport();
    const [events] = await loggedDuring(async () => {
      const stream = new DatagramStream();
      stream.makeConnection(transport);
      await stream.run(async () => {
        throw new Error('handler bug');
      });
    });
    expect(transport.stops).toBe(1);
    expect(events.some((e) => e.log_failure?.getErrorMessage() === 'handler bug')).toBe(true);
  });

  it('refuses to send once stopped', () => {
    const stream = new DatagramStream();
    stream.makeConnection(memoryTransport());
    stream.doStop();
    expect(() => stream.send('late', addr)).toThrow(ConnectionClosedError);
  });
});

describe('listenUDP with a stream-style handler', () => {
  it('echoes through an async generator over a real socket', async () => {
    const echo: DatagramHandler = async function* (socket) {
      for await (const datagram of socket) yield datagram;
    };
    const port = res.port(await reactor.listenUDP(0, echo, '127.0.0.1'));
    const client = new Recorder();
    const clientPort = res.port(await reactor.listenUDP(0, client, '127.0.0.1'));
    const got = client.next();
    clientPort.write('hello', port.getHost());
    expect(await got).toEqual({ data: 'hello', addr: port.getHost() });
  });

  it('stops listening when an async function handler returns, without leaking abort listeners', async () => {
    let signal: AbortSignal | undefined;
    let local: unknown;
    const received: string[] = [];
    let handlerDone!: () => void;
    const ended = new Promise<void>((resolve) => {
      handlerDone = resolve;
    });
    const port = res.port(
      await reactor.listenUDP(
        0,
        async (socket) => {
          signal = socket.signal;
          local = socket.localAddress;
          for await (const d of socket) {
            received.push(new TextDecoder().decode(d.data));
            if (received.length === 2) break;
          }
          handlerDone();
        },
        '127.0.0.1',
      ),
    );
    expect(local).toEqual(port.getHost());
    const raw = await res.socket();
    await sendFrom(raw, 'one', port.getHost().port);
    await sendFrom(raw, 'two', port.getHost().port);
    await ended;
    await turns();
    expect(port.listening).toBe(false); // the handler's end stopped it
    await port.stopListening();
    expect(received).toEqual(['one', 'two']);
    expect(signal!.aborted).toBe(true);
    expect(abortListeners(signal!)).toBe(0);
  });

  it('instantiates a DatagramProtocol class', async () => {
    const port = res.port(await reactor.listenUDP(0, Recorder, '127.0.0.1'));
    expect(port).toBeInstanceOf(UDPPort);
    expect(port.protocol).toBeInstanceOf(Recorder);
    expect((port.protocol as Recorder).events).toEqual(['start']);
  });
});
