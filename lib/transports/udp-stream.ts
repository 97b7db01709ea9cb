// The stream (native) style for UDP: a handler function gets a
// DatagramSocket, an async iterable of received datagrams, and may yield
// replies, as stream protocols do for connections.
// Tests: tests/transports/udp-stream.test.ts
import { Logger } from '../log/index.js';
import {
  ConnectionClosedError,
  type Data,
  type DatagramAddress,
  DatagramProtocol,
  type InetAddress,
  isAsyncIterable,
  type IUDPTransport,
} from '../protocols/index.js';
import { ConnectionRefusedError } from './errors.js';

const log = new Logger('woven.transports.udp');

/** One received datagram and its sender. */
export interface Datagram {
  /** The payload (at most the port's `maxPacketSize` bytes). */
  data: Uint8Array;
  /** Who sent it. */
  addr: InetAddress;
}

/** A datagram to send: a payload and where to (omit `addr` on a connected socket). */
export interface OutgoingDatagram {
  data: Data;
  addr?: DatagramAddress;
}

/**
 * A UDP port seen from a stream-style handler: an async iterable of the
 * datagrams received (it ends when the port stops listening), plus
 * {@link send}. Reading is buffered up to `highWaterMark` datagrams; past
 * that, datagrams are dropped (counted in {@link dropped}), as a full
 * socket buffer drops them. On a connected socket an ICMP refusal makes the
 * pending (or next) read throw `ConnectionRefusedError`.
 */
export interface DatagramSocket extends AsyncIterable<Datagram> {
  /** Send one datagram (as `transport.write`). Throws `ConnectionClosedError` once stopped. */
  send(data: Data, addr?: DatagramAddress): void;
  /** Connect to one peer (connected UDP, as `transport.connect`). */
  connect(host: string, port: number): void;
  /** The bound address. */
  readonly localAddress: InetAddress;
  /** The port itself, for the rest of its API (multicast groups, broadcast). */
  readonly transport: IUDPTransport | null;
  /** Aborted when the port stops listening. */
  readonly signal: AbortSignal;
  /** How many datagrams were dropped because the handler did not read fast enough. */
  readonly dropped: number;
  /** Stop listening; resolves once the port is closed. */
  close(): Promise<void>;
}

/**
 * A stream-style UDP handler: an async generator function yielding the
 * datagrams to send (`{data, addr}`, so yielding a received datagram sends
 * it back to its sender), or an async function. When it returns the port
 * stops listening; when it throws the error is logged and the port stops.
 *
 * @example
 * ```ts
 * const echo: DatagramHandler = async function* (socket) {
 *   for await (const datagram of socket) yield datagram;
 * };
 * const port = await reactor.listenUDP(0, echo, '127.0.0.1');
 * ```
 */
export type DatagramHandler = (
  socket: DatagramSocket,
) => AsyncIterable<OutgoingDatagram> | PromiseLike<unknown>;

/** A {@link DatagramProtocol} subclass (with a no-argument constructor). */
export type DatagramProtocolClass = new () => DatagramProtocol;

/** What `listenUDP` and `listenMulticast` take: a protocol, its class, or a stream-style handler. */
export type DatagramHandlerLike = DatagramProtocol | DatagramProtocolClass | DatagramHandler;

type Read = { resolve: (r: IteratorResult<Datagram>) => void; reject: (e: unknown) => void };

/** Adapts a {@link DatagramHandler} to the classic {@link DatagramProtocol} a port drives. */
export class DatagramStream extends DatagramProtocol implements DatagramSocket {
  /** Datagrams buffered for a handler that is not reading, at most. */
  readonly highWaterMark: number;
  override noisy = false;
  #dropped = 0;
  readonly #queue: Datagram[] = [];
  #reader: Read | undefined;
  #refused: ConnectionRefusedError | undefined;
  #ended = false;
  #port: IUDPTransport | undefined;
  readonly #controller = new AbortController();

  constructor(highWaterMark = 1024) {
    super();
    this.highWaterMark = highWaterMark;
  }

  get dropped(): number {
    return this.#dropped;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get localAddress(): InetAddress {
    return this.#open().getHost() as InetAddress;
  }

  override makeConnection(transport: IUDPTransport): void {
    this.#port = transport;
    super.makeConnection(transport);
  }

  override datagramReceived(data: Uint8Array, addr: InetAddress): void {
    const reader = this.#reader;
    if (reader !== undefined) {
      this.#reader = undefined;
      reader.resolve({ value: { data, addr }, done: false });
    } else if (this.#queue.length < this.highWaterMark) {
      this.#queue.push({ data, addr });
    } else {
      this.#dropped += 1;
    }
  }

  override connectionRefused(): void {
    const error = new ConnectionRefusedError('the peer refused a datagram (ICMP port unreachable)');
    const reader = this.#reader;
    this.#reader = undefined;
    if (reader !== undefined) reader.reject(error);
    else this.#refused = error;
  }

  override stopProtocol(): void {
    this.#ended = true;
    this.#controller.abort(new ConnectionClosedError('The UDP port stopped listening.'));
    const reader = this.#reader;
    this.#reader = undefined;
    reader?.resolve({ value: undefined, done: true });
  }

  #open(): IUDPTransport {
    if (this.#ended || this.#port === undefined) {
      throw new ConnectionClosedError('Cannot use a UDP port that is not listening.');
    }
    return this.#port;
  }

  send(data: Data, addr?: DatagramAddress): void {
    this.#open().write(data, addr);
  }

  connect(host: string, port: number): void {
    this.#open().connect(host, port);
  }

  close(): Promise<void> {
    return this.#port?.stopListening() ?? Promise.resolve();
  }

  #read(): Promise<IteratorResult<Datagram>> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve({ value: queued, done: false });
    const refused = this.#refused;
    if (refused !== undefined) {
      this.#refused = undefined;
      return Promise.reject(refused);
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#reader = { resolve, reject };
    });
  }

  /** The received datagrams, in order; ends when the port stops listening. */
  [Symbol.asyncIterator](): AsyncIterator<Datagram> {
    return {
      next: () => this.#read(),
      // Breaking out of the loop leaves the port open: the handler may still send.
      return: async () => ({ value: undefined, done: true }),
    };
  }

  /** Run `handler` on this socket: send what it yields; stop the port when it ends. */
  async run(handler: DatagramHandler): Promise<void> {
    try {
      const result = handler(this);
      if (isAsyncIterable<OutgoingDatagram>(result)) {
        for await (const outgoing of result) this.send(outgoing.data, outgoing.addr);
      } else {
        await result;
      }
    } catch (error) {
      if (!this.#ended)
        log.failure('Error in UDP handler {handler}', error, { handler: handler.name });
    } finally {
      await this.close();
    }
  }
}

/**
 * The protocol a port should drive for `handler`, and what to do once the
 * port is listening (start a stream handler).
 */
export function toDatagramProtocol(handler: DatagramHandlerLike): {
  protocol: DatagramProtocol;
  start: () => void;
} {
  if (handler instanceof DatagramProtocol) return { protocol: handler, start: () => {} };
  if (handler.prototype instanceof DatagramProtocol) {
    return { protocol: new (handler as DatagramProtocolClass)(), start: () => {} };
  }
  const stream = new DatagramStream();
  return { protocol: stream, start: () => void stream.run(handler as DatagramHandler) };
}
