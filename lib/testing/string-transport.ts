// Tests: tests/testing/string-transport.test.ts
import { Buffer } from 'node:buffer';
import { Failure } from '../failure/index.js';
import {
  type Address,
  ConnectionDone,
  type Data,
  type IPullProducer,
  type IPushProducer,
  type ITransport,
  ProducerRegisteredError,
  type Protocol,
} from '../protocols/index.js';

/** The state of a {@link StringTransport} seen as a push producer. */
export type ProducerState = 'producing' | 'paused' | 'stopped';

/** Options of {@link StringTransport} (Twisted's keyword arguments). */
export interface StringTransportOptions {
  /** What `getHost()` returns (default: a fake TCP address). */
  hostAddress?: Address | null;
  /** What `getPeer()` returns (default: a fake TCP address). */
  peerAddress?: Address | null;
  /** Allow pause/resume after `loseConnection()`. */
  lenient?: boolean;
}

const DEFAULT_PEER: Address = { type: 'TCP', host: '192.168.1.1', port: 54321 };
const DEFAULT_HOST: Address = { type: 'TCP', host: '10.0.0.1', port: 12345 };

/**
 * A transport that records what is written and how it is told to behave,
 * without any I/O, as Twisted's `twisted.internet.testing.StringTransport`:
 * `value()` is everything written since the last `clear()`;
 * `loseConnection()` only sets `disconnecting`; producer calls are recorded
 * in `producer`, `streaming` and `producerState`. Strings are written as
 * their UTF-8 bytes. The default addresses are fake values (no traffic).
 *
 * @example
 * ```ts
 * const transport = new StringTransport();
 * const proto = new MyLineProtocol();
 * proto.makeConnection(transport);
 * proto.dataReceived(Buffer.from('HELLO\r\n'));
 * expect(transport.value().toString()).toBe('WORLD\r\n');
 * ```
 */
export class StringTransport implements ITransport {
  /** True once `loseConnection()` (or `abortConnection()`) was called. */
  disconnecting = false;
  /** True once `abortConnection()` was called. */
  disconnected = false;
  /** True until a subclass reports the connection lost. */
  connected = true;
  /** The registered producer, or `null`. */
  producer: IPushProducer | IPullProducer | null = null;
  /** Whether the registered producer is streaming (push); `null` when none. */
  streaming: boolean | null = null;
  /** What `getHost()` returns, when set. */
  hostAddr: Address | null = null;
  /** What `getPeer()` returns, when set. */
  peerAddr: Address | null = null;
  /** This transport's state as a push producer (it "produces" received data). */
  producerState: ProducerState = 'producing';

  #chunks: Buffer[] = [];
  readonly #lenient: boolean;

  /**
   * `hostAddress`/`peerAddress` replace the fake default addresses. With
   * `lenient`, `pauseProducing`/`resumeProducing` are allowed after
   * `loseConnection()` (by default they throw, as in Twisted). Pass them
   * positionally, as Twisted does, or as one options object
   * (`new StringTransport({ peerAddress })`).
   */
  constructor(
    hostAddress?: Address | StringTransportOptions | null,
    peerAddress?: Address | null,
    lenient = false,
  ) {
    const options: StringTransportOptions =
      hostAddress && !('type' in hostAddress) ? hostAddress : { hostAddress, peerAddress, lenient };
    if (options.hostAddress) this.hostAddr = options.hostAddress;
    if (options.peerAddress) this.peerAddr = options.peerAddress;
    this.#lenient = options.lenient ?? false;
  }

  /** Everything written since the last {@link clear}, as one `Buffer`. */
  value(): Buffer {
    const chunks = this.#chunks;
    if (chunks.length === 0) return Buffer.alloc(0);
    if (chunks.length > 1) this.#chunks = [Buffer.concat(chunks)];
    return this.#chunks[0]!;
  }

  /** Forget what was written so far. */
  clear(): void {
    this.#chunks = [];
  }

  /** Record `data` (a string means its UTF-8 bytes). */
  write(data: Data): void {
    if (typeof data === 'string') {
      this.#chunks.push(Buffer.from(data, 'utf8'));
    } else {
      // Copy: the caller may reuse its buffer after write() returns.
      this.#chunks.push(Buffer.from(data));
    }
  }

  /** Record each chunk of `data` in order. */
  writeSequence(data: Iterable<Data>): void {
    for (const chunk of data) this.write(chunk);
  }

  /** Only sets {@link disconnecting} (nothing is closed). */
  loseConnection(): void {
    this.disconnecting = true;
  }

  /** Sets {@link disconnected}, then does what {@link loseConnection} does. */
  abortConnection(): void {
    this.disconnected = true;
    this.loseConnection();
  }

  /** {@link peerAddr}, or the fake `{type: 'TCP', host: '192.168.1.1', port: 54321}`. */
  getPeer(): Address {
    return this.peerAddr ?? { ...DEFAULT_PEER };
  }

  /** {@link hostAddr}, or the fake `{type: 'TCP', host: '10.0.0.1', port: 12345}`. */
  getHost(): Address {
    return this.hostAddr ?? { ...DEFAULT_HOST };
  }

  /** Record `producer` and `streaming`; a second registration throws. */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.producer !== null) throw new ProducerRegisteredError('Cannot register two producers');
    this.producer = producer;
    this.streaming = streaming;
  }

  /** Forget the producer; throws when none is registered. */
  unregisterProducer(): void {
    if (this.producer === null) {
      throw new Error('Cannot unregister a producer unless one is registered');
    }
    this.producer = null;
    this.streaming = null;
  }

  #checkState(): void {
    if (this.disconnecting && !this.#lenient) {
      throw new Error('Cannot resume producing after loseConnection');
    }
    if (this.producerState === 'stopped') throw new Error('Cannot resume a stopped producer');
  }

  /** Set {@link producerState} to `'paused'` (throws after close, or once stopped). */
  pauseProducing(): void {
    this.#checkState();
    this.producerState = 'paused';
  }

  /** Set {@link producerState} to `'producing'` (throws after close, or once stopped). */
  resumeProducing(): void {
    this.#checkState();
    this.producerState = 'producing';
  }

  /** Set {@link producerState} to `'stopped'`. */
  stopProducing(): void {
    this.producerState = 'stopped';
  }
}

/**
 * A {@link StringTransport} whose `loseConnection()` also tells its
 * {@link protocol} the connection is lost (with `ConnectionDone`), once, as
 * Twisted's `StringTransportWithDisconnection`.
 *
 * @example
 * ```ts
 * const transport = new StringTransportWithDisconnection();
 * transport.protocol = proto;
 * proto.makeConnection(transport);
 * transport.loseConnection(); // proto.connectionLost(Failure(ConnectionDone))
 * ```
 */
export class StringTransportWithDisconnection extends StringTransport {
  /** The protocol told about the loss; set it before closing. */
  protocol: Protocol | null = null;

  /** Set `disconnecting`, and the first time call `protocol.connectionLost`. */
  override loseConnection(): void {
    super.loseConnection();
    if (!this.connected) return;
    this.connected = false;
    this.protocol?.connectionLost(new Failure(new ConnectionDone()));
  }
}
