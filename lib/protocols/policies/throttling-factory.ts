// Tests: tests/protocols/policies/throttling-factory.test.ts
import { Logger } from '../../log/index.js';
import { type IDelayedCall, type IReactorTime, reactor } from '../../time/index.js';
import type { Address } from '../address.js';
import type { Handler } from '../connection.js';
import type { Protocol } from '../protocol.js';
import type { Failure } from '../../failure/index.js';
import {
  type Data,
  type IPullProducer,
  type IPushProducer,
  type ITransport,
  toBytes,
} from '../transport.js';
import { sizeOf } from '../write-buffer.js';
import { Bandwidth, type Lane } from './bandwidth.js';
import { ProtocolWrapper } from './protocol-wrapper.js';
import { WrappingFactory } from './wrapping-factory.js';

const log = new Logger('woven.policies');

/** Options of {@link ThrottlingFactory}; a missing limit means none. */
export interface ThrottlingOptions {
  /** The most simultaneous connections; one more is refused (and logged). */
  maxConnectionCount?: number;
  /** The most bytes per second read over all connections. */
  readLimit?: number | null;
  /** The most bytes per second written over all connections. */
  writeLimit?: number | null;
  /** The clock the bandwidth is measured on (default: the global `reactor`). */
  clock?: IReactorTime;
}

/**
 * Something paused for either of two reasons (its own side's, or the
 * throttle's) and resumed only once neither holds: `pause` and `resume`
 * run on the transitions only.
 */
class PauseGate {
  #own = false;
  #throttled = false;

  constructor(
    readonly pause: () => void,
    readonly resume: () => void,
  ) {}

  own(on: boolean): void {
    this.#set(on, this.#throttled);
  }

  throttle(on: boolean): void {
    this.#set(this.#own, on);
  }

  #set(own: boolean, throttled: boolean): void {
    const was = this.#own || this.#throttled;
    this.#own = own;
    this.#throttled = throttled;
    const now = own || throttled;
    if (now && !was) this.pause();
    else if (was && !now) this.resume();
  }
}

/** A producer the throttle holds back while its connection's writes wait for the pace. */
interface HeldProducer {
  throttle(on: boolean): void;
}

/** A streaming producer seen by the transport, paused by it or by the throttle. */
class ThrottledProducer implements IPushProducer, HeldProducer {
  readonly #gate: PauseGate;

  constructor(readonly producer: IPushProducer) {
    this.#gate = new PauseGate(
      () => producer.pauseProducing(),
      () => producer.resumeProducing(),
    );
  }

  pauseProducing(): void {
    this.#gate.own(true);
  }

  resumeProducing(): void {
    this.#gate.own(false);
  }

  stopProducing(): void {
    this.producer.stopProducing();
  }

  throttle(on: boolean): void {
    this.#gate.throttle(on);
  }
}

/** A pull producer seen by the transport: asked for more only while not throttled. */
class ThrottledPullProducer implements IPullProducer, HeldProducer {
  #throttled = false;
  #asked = false;

  constructor(readonly producer: IPullProducer) {}

  resumeProducing(): void {
    if (this.#throttled) this.#asked = true;
    else this.producer.resumeProducing();
  }

  stopProducing(): void {
    this.producer.stopProducing();
  }

  throttle(on: boolean): void {
    this.#throttled = on;
    if (on || !this.#asked) return;
    this.#asked = false;
    this.producer.resumeProducing();
  }
}

/** A factory's pacing of reads and writes over all its connections; none for no limit. */
interface Pacing {
  readonly reads: Bandwidth | undefined;
  readonly writes: Bandwidth | undefined;
}

const pacings = new WeakMap<ThrottlingFactory, Pacing>();

/**
 * The wrapper {@link ThrottlingFactory} puts around each protocol, as
 * Twisted's `policies.ThrottlingProtocol`: it counts the bytes read and
 * written and, past its factory's limits, holds them back: received bytes
 * wait (and the transport stops reading) until the pace allows them to
 * reach the wrapped protocol, written ones wait (and the registered
 * producer is paused) until it allows them to reach the transport. A close
 * waits for the held writes; received bytes still held when the connection
 * ends are delivered first. Reading stays paused while the wrapped protocol
 * has paused it itself, whatever the throttle does.
 */
export class ThrottlingProtocol extends ProtocolWrapper {
  /** The producer the wrapped protocol registered, whose writes are throttled; `undefined` if none. */
  producer: IPushProducer | IPullProducer | undefined;
  readonly #factory: ThrottlingFactory;
  readonly #pacing: Pacing;
  #heldProducer: HeldProducer | undefined;
  /** A close asked for while writes are held: done once they passed. */
  #pendingClose: (() => void) | undefined;
  readonly #reads = new PauseGate(
    () => this.transport?.pauseProducing(),
    () => this.transport?.resumeProducing(),
  );
  readonly #readLane: Lane = {
    pass: (data) => this.wrappedProtocol.dataReceived(data),
    hold: (on) => this.#reads.throttle(on),
  };
  readonly #writeLane: Lane = {
    pass: (data) => this.transport!.write(data),
    hold: (on) => this.#holdWrites(on),
  };

  constructor(factory: ThrottlingFactory, wrappedProtocol: Protocol) {
    super(factory, wrappedProtocol);
    this.#factory = factory;
    this.#pacing = pacings.get(factory) ?? { reads: undefined, writes: undefined };
    const readConnectionLost = this.readConnectionLost;
    if (readConnectionLost !== undefined) {
      this.readConnectionLost = () => {
        this.#pacing.reads?.flush(this.#readLane);
        readConnectionLost();
      };
    }
  }

  override write(data: Data): void {
    if (this.#pendingClose !== undefined) return; // closing: ignored, as by a transport
    const writes = this.#pacing.writes;
    if (writes !== undefined) {
      writes.offer(this.#writeLane, toBytes(data));
      return;
    }
    this.#factory.registerWritten(sizeOf(data));
    super.write(data);
  }

  override writeSequence(data: Iterable<Data>): void {
    if (this.#pacing.writes !== undefined) {
      for (const chunk of data) this.write(chunk);
      return;
    }
    const chunks = [...data];
    this.#factory.registerWritten(chunks.reduce((n, c) => n + sizeOf(c), 0));
    super.writeSequence(chunks);
  }

  override dataReceived(data: Uint8Array): void {
    const reads = this.#pacing.reads;
    if (reads !== undefined) {
      reads.offer(this.#readLane, data);
      return;
    }
    this.#factory.registerRead(data.byteLength);
    super.dataReceived(data);
  }

  /** As {@link ProtocolWrapper.makeConnection}; a `startTLS` first sends the held writes, which precede it. */
  override makeConnection(transport: ITransport): void {
    super.makeConnection(transport);
    const startTLS = this.startTLS;
    if (startTLS === undefined) return;
    this.startTLS = (options, pending) => {
      const writes = this.#pacing.writes;
      if (writes?.holds(this.#writeLane)) {
        writes.flush(this.#writeLane);
        this.#holdWrites(false);
      }
      return startTLS(options, pending);
    };
  }

  /** Close once the held writes have passed. */
  override loseConnection(): void {
    this.#afterWrites(() => super.loseConnection());
  }

  /** Half-close once the held writes have passed. */
  protected override halfCloseWrites(): void {
    this.#afterWrites(() => super.halfCloseWrites());
  }

  /** Close at once: the held writes are dropped. */
  override abortConnection(): void {
    this.#pacing.writes?.drop(this.#writeLane);
    this.#pendingClose = undefined;
    super.abortConnection();
  }

  /** Deliver the received bytes still held, then tell the wrapped protocol. */
  override connectionLost(reason: Failure): void {
    this.#pacing.reads?.flush(this.#readLane);
    this.#pacing.writes?.drop(this.#writeLane);
    this.#pendingClose = undefined;
    super.connectionLost(reason);
  }

  override registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.producer = producer;
    const held = streaming
      ? new ThrottledProducer(producer as IPushProducer)
      : new ThrottledPullProducer(producer);
    if (this.#pacing.writes?.holds(this.#writeLane)) held.throttle(true);
    this.#heldProducer = held;
    super.registerProducer(held, streaming);
  }

  override unregisterProducer(): void {
    this.producer = undefined;
    this.#heldProducer = undefined;
    super.unregisterProducer();
  }

  /** The wrapped protocol pauses reading. */
  override pauseProducing(): void {
    this.#reads.own(true);
  }

  /** The wrapped protocol resumes reading (which stays paused while throttled). */
  override resumeProducing(): void {
    this.#reads.own(false);
  }

  /** Stop reading until {@link unthrottleReads}. */
  throttleReads(): void {
    this.#reads.throttle(true);
  }

  /** Resume reading, unless the wrapped protocol paused it. */
  unthrottleReads(): void {
    this.#reads.throttle(false);
  }

  /** Pause the registered producer until {@link unthrottleWrites}. */
  throttleWrites(): void {
    if (this.#heldProducer !== undefined) this.#heldProducer.throttle(true);
    else (this.producer as Partial<IPushProducer> | undefined)?.pauseProducing?.();
  }

  /** Resume the registered producer, unless the transport paused it. */
  unthrottleWrites(): void {
    if (this.#heldProducer !== undefined) this.#heldProducer.throttle(false);
    else this.producer?.resumeProducing();
  }

  /** Run `close` now, or once the held writes have passed. */
  #afterWrites(close: () => void): void {
    if (this.#pacing.writes?.holds(this.#writeLane)) this.#pendingClose ??= close;
    else close();
  }

  /** Writes start or stop being held: pause or resume the producer; a pending close happens. */
  #holdWrites(on: boolean): void {
    if (on) {
      this.throttleWrites();
      return;
    }
    const close = this.#pendingClose;
    this.#pendingClose = undefined;
    close?.();
    this.unthrottleWrites();
  }
}

/**
 * Limit the bandwidth and the number of connections of any handler —
 * classic or stream style — as Twisted's `policies.ThrottlingFactory`,
 * with the bandwidth paced within the second: bytes read and written over
 * all its connections pass at `readLimit` and `writeLimit` bytes per
 * second on `clock` (a token bucket: a tenth of a second's worth may pass
 * at once after an idle spell; beyond it, bytes are held and released a
 * tenth of a second's worth at a time, the connections taking turns).
 * Held received bytes stop the transport's reading; held written bytes
 * pause the producer a protocol registered (a stream protocol always
 * registers one: its `write()`s and yields wait), and a protocol without
 * one has its writes buffered here, in order, until they are due. As in
 * Twisted, `readThisSecond` and `writtenThisSecond` count the bytes of the
 * current second. Past `maxConnectionCount` connections, a new one is
 * refused and logged.
 *
 * @example
 * ```ts
 * // At most 100 clients, sharing 1 MiB/s each way.
 * await listen('tcp:8000', new ThrottlingFactory(echo, {
 *   maxConnectionCount: 100, readLimit: 2 ** 20, writeLimit: 2 ** 20,
 * }));
 * ```
 */
export class ThrottlingFactory extends WrappingFactory {
  /** The most simultaneous connections. */
  maxConnectionCount: number;
  /** Bytes per second read, or `null` for no limit. */
  readonly readLimit: number | null;
  /** Bytes per second written, or `null` for no limit. */
  readonly writeLimit: number | null;
  /** Connections accepted and not yet lost. */
  connectionCount = 0;
  /** Bytes read during the current second (passed on to the protocols). */
  readThisSecond = 0;
  /** Bytes written during the current second (passed on to the transports). */
  writtenThisSecond = 0;
  /** The clock the bandwidth is measured on. */
  readonly clock: IReactorTime;
  #checkReadCall: IDelayedCall | null = null;
  #checkWriteCall: IDelayedCall | null = null;

  /**
   * @param handler what serves each connection.
   * @param options the limits; a number is `maxConnectionCount` (Twisted's positional form).
   */
  constructor(handler: Handler, options: ThrottlingOptions | number = {}) {
    super(handler);
    const o = typeof options === 'number' ? { maxConnectionCount: options } : options;
    this.maxConnectionCount = o.maxConnectionCount ?? Number.POSITIVE_INFINITY;
    this.readLimit = checkLimit('readLimit', o.readLimit);
    this.writeLimit = checkLimit('writeLimit', o.writeLimit);
    this.clock = o.clock ?? reactor;
    const paced = (limit: number | null, count: (n: number) => void) =>
      limit === null ? undefined : new Bandwidth(limit, this.clock, count);
    pacings.set(this, {
      reads: paced(this.readLimit, (n) => this.registerRead(n)),
      writes: paced(this.writeLimit, (n) => this.registerWritten(n)),
    });
  }

  /** Schedule `fn` after `period` seconds on {@link clock}. */
  callLater(period: number, fn: () => void): IDelayedCall {
    return this.clock.callLater(period, fn);
  }

  /** Count `length` bytes written. */
  registerWritten(length: number): void {
    this.writtenThisSecond += length;
  }

  /** Count `length` bytes read. */
  registerRead(length: number): void {
    this.readThisSecond += length;
  }

  /** End of a second: start counting the next one's reads. */
  checkReadBandwidth(): void {
    this.readThisSecond = 0;
    this.#checkReadCall = this.callLater(1, () => this.checkReadBandwidth());
  }

  /** End of a second: start counting the next one's writes. */
  checkWriteBandwidth(): void {
    this.writtenThisSecond = 0;
    this.#checkWriteCall = this.callLater(1, () => this.checkWriteBandwidth());
  }

  /** Pause reading on every connection. */
  throttleReads(): void {
    log.debug('Throttling reads on {factory}', { factory: this.logPrefix() });
    for (const p of this.#throttling()) p.throttleReads();
  }

  /** Resume reading on every connection. */
  unthrottleReads(): void {
    log.debug('Stopped throttling reads on {factory}', { factory: this.logPrefix() });
    for (const p of this.#throttling()) p.unthrottleReads();
  }

  /** Pause writing on every connection. */
  throttleWrites(): void {
    log.debug('Throttling writes on {factory}', { factory: this.logPrefix() });
    for (const p of this.#throttling()) p.throttleWrites();
  }

  /** Resume writing on every connection. */
  unthrottleWrites(): void {
    log.debug('Stopped throttling writes on {factory}', { factory: this.logPrefix() });
    for (const p of this.#throttling()) p.unthrottleWrites();
  }
  /** The wrapped protocol, or `null` (refused, logged) at `maxConnectionCount`. */
  override buildProtocol(addr: Address): Protocol | null {
    if (this.connectionCount === 0) {
      if (this.readLimit !== null) this.checkReadBandwidth();
      if (this.writeLimit !== null) this.checkWriteBandwidth();
    }
    if (this.connectionCount >= this.maxConnectionCount) {
      log.warn('Refusing connection from {peer}: {count} connections open (limit {limit})', {
        peer: addr,
        count: this.connectionCount,
        limit: this.maxConnectionCount,
      });
      if (this.connectionCount === 0) this.#stopChecks();
      return null;
    }
    const wrapped = super.buildProtocol(addr);
    if (wrapped !== null) this.connectionCount += 1;
    else if (this.connectionCount === 0) this.#stopChecks();
    return wrapped;
  }

  override wrapProtocol(wrapped: Protocol, _addr: Address): ThrottlingProtocol {
    return new ThrottlingProtocol(this, wrapped);
  }

  /** A connection ended; with none left, the bandwidth checks stop. */
  override unregisterProtocol(p: ProtocolWrapper): void {
    super.unregisterProtocol(p);
    this.connectionCount -= 1;
    if (this.connectionCount === 0) this.#stopChecks();
  }

  *#throttling(): Iterable<ThrottlingProtocol> {
    for (const p of this.protocols) if (p instanceof ThrottlingProtocol) yield p;
  }

  #stopChecks(): void {
    for (const call of [this.#checkReadCall, this.#checkWriteCall]) {
      if (call?.active()) call.cancel();
    }
    this.#checkReadCall = null;
    this.#checkWriteCall = null;
  }
}

function checkLimit(name: string, value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (!(value > 0))
    throw new RangeError(`ThrottlingFactory ${name} must be > 0 bytes/s, got ${value}`);
  return value;
}
