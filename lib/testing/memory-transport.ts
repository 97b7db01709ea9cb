// Tests: tests/testing/connection-pair.test.ts, tests/testing/loopback.test.ts
import { Failure } from '../failure/index.js';
import {
  type Address,
  ConnectionAborted,
  ConnectionDone,
  ConnectionLost,
  type Data,
  type IHalfCloseableProtocol,
  type IPullProducer,
  type IPushProducer,
  type ITLSTransport,
  ProducerSlot,
  type Protocol,
  type StartTLSOptions,
  toBytes,
} from '../protocols/index.js';

/** Options of {@link memoryTransportPair}. */
export interface MemoryTransportOptions {
  /**
   * Bytes written but not yet delivered above which a registered streaming
   * producer is paused (default 16384, as Node's sockets); it is resumed
   * once everything is delivered.
   */
  highWaterMark?: number;
  /**
   * Deliver nothing by itself: data, closes and TLS completions wait for
   * {@link MemoryTransport.runPending} (or an `IOPump`), as with Twisted's
   * `iosim`. Default false: delivery happens in microtasks.
   */
  manual?: boolean;
  /** The address of the first (client) end. */
  clientAddress?: Address;
  /** The address of the second (server) end. */
  serverAddress?: Address;
}

type State = 'open' | 'closing' | 'closed';

/**
 * One end of an in-memory byte pipe implementing {@link ITLSTransport}, for
 * tests: writes are delivered to the peer's protocol asynchronously (in a
 * microtask), in order, with Node-like backpressure; `pauseProducing()` stops
 * delivery to this end (the peer's data, then its EOF, wait); half-close is
 * supported; `startTLS` completes once both ends have called it (no
 * encryption happens). No time and no sockets are involved.
 */
export class MemoryTransport implements ITLSTransport {
  /** True once `loseConnection()`/`abortConnection()` was called (as Twisted's `disconnecting`). */
  disconnecting = false;
  /** True once the protocol got `connectionLost`. */
  disconnected = false;
  /** The options `startTLS` was called with, once it was. */
  tlsOptions: StartTLSOptions | null = null;
  /** True once the (simulated) TLS handshake completed. */
  secure = false;

  readonly #host: Address;
  readonly #highWaterMark: number;
  #peer!: MemoryTransport;
  #protocol: Protocol | null = null;

  #outgoing: Uint8Array[] = [];
  #outgoingBytes = 0;
  #flushScheduled = false;
  #readPaused = false;

  readonly #producer = new ProducerSlot();

  #state: State = 'open';
  #writeShut = false; // loseWriteConnection requested
  #eofSent = false;
  #eofReceived = false;
  #pendingEOF = false; // EOF arrived while reading was paused
  #lostReason: Failure | null = null;
  #lost: Promise<Failure>;
  #resolveLost!: (f: Failure) => void;
  #tlsWaiting: { resolve: () => void; pending?: Uint8Array } | null = null;

  readonly #manual: boolean;
  #tasks: (() => void)[] = [];

  /** Use {@link memoryTransportPair}. */
  constructor(host: Address, highWaterMark: number, manual = false) {
    this.#host = host;
    this.#highWaterMark = highWaterMark;
    this.#manual = manual;
    this.#lost = new Promise((resolve) => {
      this.#resolveLost = resolve;
    });
  }

  /** Wire two ends together; used by {@link memoryTransportPair}. */
  static link(a: MemoryTransport, b: MemoryTransport): void {
    a.#peer = b;
    b.#peer = a;
  }

  /** Attach `protocol`: calls `protocol.makeConnection(this)`. */
  attach(protocol: Protocol): void {
    this.#protocol = protocol;
    protocol.makeConnection(this);
    // Deliver what the peer wrote before we were attached.
    this.#peer.#scheduleFlush();
  }

  /** Resolves with the reason once this end's protocol got `connectionLost`. */
  get lost(): Promise<Failure> {
    return this.#lost;
  }

  /** Bytes written by this end and not yet delivered to the peer. */
  get bufferedBytes(): number {
    return this.#outgoingBytes;
  }

  // --- ITransport ---

  write(data: Data): void {
    if (this.#state !== 'open' || this.#writeShut) return;
    const bytes = toBytes(data);
    if (bytes.byteLength === 0) return;
    this.#outgoing.push(bytes);
    this.#outgoingBytes += bytes.byteLength;
    this.#checkHighWater();
    this.#scheduleFlush();
  }

  writeSequence(data: Iterable<Data>): void {
    for (const chunk of data) this.write(chunk);
  }

  loseConnection(): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.disconnecting = true;
    this.#scheduleFlush();
  }

  loseWriteConnection(): void {
    if (this.#state !== 'open' || this.#writeShut) return;
    this.#writeShut = true;
    this.#scheduleFlush();
  }

  abortConnection(): void {
    if (this.#state === 'closed') return;
    this.disconnecting = true;
    this.#outgoing = [];
    this.#outgoingBytes = 0;
    this.#state = 'closed';
    this.#later(() => {
      this.#connectionLost(new ConnectionAborted());
      this.#peer.#peerReset();
    });
  }

  getPeer(): Address {
    return this.#peer.#host;
  }

  getHost(): Address {
    return this.#host;
  }

  // --- IConsumer ---

  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (!this.#producer.register(producer, streaming, this.#state === 'closed')) return;
    if (streaming) this.#checkHighWater();
    else this.#later(() => this.#pullMore());
  }

  unregisterProducer(): void {
    this.#producer.unregister();
  }

  // --- IPushProducer: pausing and resuming *reading* ---

  pauseProducing(): void {
    this.#readPaused = true;
  }

  resumeProducing(): void {
    if (!this.#readPaused) return;
    this.#readPaused = false;
    this.#peer.#scheduleFlush();
  }

  stopProducing(): void {
    this.loseConnection();
  }

  // --- ITLSTransport ---

  /** Simulated: resolves once both ends called it; `pending` is then delivered as received data. */
  startTLS(options: StartTLSOptions, pending?: Uint8Array): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(new ConnectionLost());
    this.tlsOptions = options;
    const done = new Promise<void>((resolve) => {
      this.#tlsWaiting = { resolve, pending };
    });
    const peer = this.#peer;
    if (peer.#tlsWaiting) {
      this.#later(() => {
        this.#completeTLS();
        peer.#completeTLS();
      });
    }
    return done;
  }

  #completeTLS(): void {
    const waiting = this.#tlsWaiting;
    if (!waiting) return;
    this.#tlsWaiting = null;
    this.secure = true;
    waiting.resolve();
    if (waiting.pending && waiting.pending.byteLength > 0 && this.#protocol) {
      this.#protocol.dataReceived(waiting.pending);
    }
  }

  // --- internals ---

  #checkHighWater(): void {
    if (this.#outgoingBytes > this.#highWaterMark) this.#producer.pause();
  }

  /** Run `fn` later: in a microtask, or at the next {@link runPending} when manual. */
  #later(fn: () => void): void {
    if (this.#manual) this.#tasks.push(fn);
    else queueMicrotask(fn);
  }

  /**
   * Remove and return what is waiting (deliveries, closes), in order; for
   * manual transports. Run each to perform it.
   */
  takePending(): (() => void)[] {
    const tasks = this.#tasks;
    this.#tasks = [];
    return tasks;
  }

  /** Run what is waiting now (not what that schedules). Returns whether anything ran. */
  runPending(): boolean {
    const tasks = this.takePending();
    for (const task of tasks) task();
    return tasks.length > 0;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    this.#later(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #canRead(): boolean {
    return !this.#readPaused && this.#state !== 'closed';
  }

  /** Deliver what this end wrote to the peer, as far as the peer reads. */
  #flush(): void {
    const peer = this.#peer;
    const target = peer.#protocol;
    if (!target || peer.#state === 'closed') {
      if (peer.#state === 'closed') this.#outgoing = [];
      return;
    }
    while (this.#outgoing.length > 0 && peer.#canRead()) {
      const chunk = this.#outgoing.shift()!;
      this.#outgoingBytes -= chunk.byteLength;
      target.dataReceived(chunk);
    }
    if (this.#outgoing.length > 0) return;
    this.#drained();
    if ((this.#writeShut || this.#state === 'closing') && !this.#eofSent) {
      this.#eofSent = true;
      peer.#receiveEOF();
      if (this.#state === 'closing' || this.#eofReceived) this.#finishClose();
    } else if (peer.#pendingEOF) {
      peer.#receiveEOF();
    }
  }

  #drained(): void {
    if (this.#producer.streaming) this.#producer.resume();
    else if (this.#producer.pulling) this.#later(() => this.#pullMore());
  }

  #pullMore(): void {
    if (this.#state === 'open' && !this.#writeShut && this.#outgoingBytes === 0) {
      this.#producer.pull();
    }
  }

  #receiveEOF(): void {
    if (this.#state === 'closed' || this.#eofReceived) return;
    if (this.#readPaused) {
      this.#pendingEOF = true;
      return;
    }
    this.#pendingEOF = false;
    this.#eofReceived = true;
    const protocol = this.#protocol as (Protocol & Partial<IHalfCloseableProtocol>) | null;
    const peerGone = this.#peer.#state !== 'open';
    if (this.#eofSent || peerGone) {
      // Both directions are finished, or the peer closed entirely.
      if (protocol?.readConnectionLost && !this.#eofSent) protocol.readConnectionLost();
      this.#state = 'closing';
      this.#outgoing = [];
      this.#outgoingBytes = 0;
      this.#finishClose();
    } else if (protocol?.readConnectionLost) {
      protocol.readConnectionLost();
    } else {
      this.loseConnection();
    }
  }

  #finishClose(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.disconnecting = true;
    this.#later(() => this.#connectionLost(new ConnectionDone()));
  }

  #peerReset(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#outgoing = [];
    this.#outgoingBytes = 0;
    this.#connectionLost(new ConnectionLost('Connection reset by peer.'));
  }

  #connectionLost(error: Error): void {
    if (this.#lostReason) return;
    const reason = new Failure(error);
    this.#lostReason = reason;
    this.disconnected = true;
    this.#producer.stop();
    this.#tlsWaiting?.resolve();
    this.#tlsWaiting = null;
    try {
      this.#protocol?.connectionLost(reason);
    } finally {
      this.#resolveLost(reason);
    }
  }
}

/**
 * Two connected {@link MemoryTransport}s: `[client, server]`. Attach a
 * protocol to each with `attach(protocol)`.
 *
 * @example
 * ```ts
 * const [ct, st] = memoryTransportPair();
 * st.attach(new EchoProtocol());
 * ct.attach(new MyClient());
 * ```
 */
export function memoryTransportPair(
  options: MemoryTransportOptions = {},
): [MemoryTransport, MemoryTransport] {
  const hwm = options.highWaterMark ?? 16384;
  const manual = options.manual ?? false;
  const client = new MemoryTransport(
    options.clientAddress ?? { type: 'TCP', host: '127.0.0.1', port: 40000 },
    hwm,
    manual,
  );
  const server = new MemoryTransport(
    options.serverAddress ?? { type: 'TCP', host: '127.0.0.1', port: 8000 },
    hwm,
    manual,
  );
  MemoryTransport.link(client, server);
  return [client, server];
}
