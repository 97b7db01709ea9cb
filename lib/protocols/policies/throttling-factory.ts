// Tests: tests/protocols/policies/throttling-factory.test.ts
import { Logger } from '../../log/index.js';
import { type IDelayedCall, type IReactorTime, reactor } from '../../time/index.js';
import type { Address } from '../address.js';
import type { Handler } from '../connection.js';
import type { Protocol } from '../protocol.js';
import type { Data, IPullProducer, IPushProducer } from '../transport.js';
import { sizeOf } from '../write-buffer.js';
import { ProtocolWrapper } from './protocol-wrapper.js';
import { WrappingFactory } from './wrapping-factory.js';

const log = new Logger('woven.policies');

/** Options of {@link ThrottlingFactory}; a missing limit means none. */
export interface ThrottlingOptions {
  /** The most simultaneous connections; one more is refused (and logged). */
  maxConnectionCount?: number;
  /** The most bytes per second read over all connections. */
  readLimit?: number | null;
  /** The most bytes per second written over all connections (by streaming producers: see {@link ThrottlingFactory}). */
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

/** A streaming producer seen by the transport, paused by it or by the throttle. */
class ThrottledProducer implements IPushProducer {
  readonly gate: PauseGate;

  constructor(readonly producer: IPushProducer) {
    this.gate = new PauseGate(
      () => producer.pauseProducing(),
      () => producer.resumeProducing(),
    );
  }

  pauseProducing(): void {
    this.gate.own(true);
  }

  resumeProducing(): void {
    this.gate.own(false);
  }

  stopProducing(): void {
    this.producer.stopProducing();
  }
}

/**
 * The wrapper {@link ThrottlingFactory} puts around each protocol, as
 * Twisted's `policies.ThrottlingProtocol`: it counts the bytes read and
 * written, and pauses reading (the transport) or writing (the registered
 * producer) while its factory throttles. Reading stays paused while the
 * wrapped protocol has paused it itself, whatever the throttle does.
 */
export class ThrottlingProtocol extends ProtocolWrapper {
  /** The producer the wrapped protocol registered, whose writes are throttled; `undefined` if none. */
  producer: IPushProducer | IPullProducer | undefined;
  readonly #factory: ThrottlingFactory;
  #throttledProducer: ThrottledProducer | undefined;
  readonly #reads = new PauseGate(
    () => this.transport?.pauseProducing(),
    () => this.transport?.resumeProducing(),
  );

  constructor(factory: ThrottlingFactory, wrappedProtocol: Protocol) {
    super(factory, wrappedProtocol);
    this.#factory = factory;
  }

  override write(data: Data): void {
    this.#factory.registerWritten(sizeOf(data));
    super.write(data);
  }

  override writeSequence(data: Iterable<Data>): void {
    const chunks = [...data];
    this.#factory.registerWritten(chunks.reduce((n, c) => n + sizeOf(c), 0));
    super.writeSequence(chunks);
  }

  override dataReceived(data: Uint8Array): void {
    this.#factory.registerRead(data.byteLength);
    super.dataReceived(data);
  }

  override registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.producer = producer;
    if (streaming) {
      this.#throttledProducer = new ThrottledProducer(producer as IPushProducer);
      super.registerProducer(this.#throttledProducer, true);
    } else {
      super.registerProducer(producer, false);
    }
  }

  override unregisterProducer(): void {
    this.producer = undefined;
    this.#throttledProducer = undefined;
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
    if (this.#throttledProducer !== undefined) this.#throttledProducer.gate.throttle(true);
    else (this.producer as Partial<IPushProducer> | undefined)?.pauseProducing?.();
  }

  /** Resume the registered producer, unless the transport paused it. */
  unthrottleWrites(): void {
    if (this.#throttledProducer !== undefined) this.#throttledProducer.gate.throttle(false);
    else this.producer?.resumeProducing();
  }
}

/**
 * Limit the bandwidth and the number of connections of any handler —
 * classic or stream style — as Twisted's `policies.ThrottlingFactory`.
 * Every second (on `clock`) it compares the bytes read and written during
 * that second, over all its connections, with `readLimit` and `writeLimit`;
 * past a limit, it pauses every connection's reading (or writing) for as
 * long as the excess takes at the limit, so the average stays at it.
 * Writes are throttled through the producer a protocol registers (a stream
 * protocol always registers one: its `write()`s and yields wait); a
 * protocol that writes without a producer is only counted, as in Twisted.
 * Past `maxConnectionCount` connections, a new one is refused and logged.
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
  readLimit: number | null;
  /** Bytes per second written, or `null` for no limit. */
  writeLimit: number | null;
  /** Connections accepted and not yet lost. */
  connectionCount = 0;
  /** Bytes read during the current second. */
  readThisSecond = 0;
  /** Bytes written during the current second. */
  writtenThisSecond = 0;
  /** The clock the bandwidth is measured on. */
  readonly clock: IReactorTime;
  #unthrottleReadsCall: IDelayedCall | null = null;
  #checkReadCall: IDelayedCall | null = null;
  #unthrottleWritesCall: IDelayedCall | null = null;
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

  /** End of a second: throttle reads if they passed the limit, and start the next second. */
  checkReadBandwidth(): void {
    const limit = this.readLimit!;
    if (this.readThisSecond > limit) {
      this.throttleReads();
      const pause = this.readThisSecond / limit - 1;
      this.#unthrottleReadsCall = this.callLater(pause, () => this.unthrottleReads());
    }
    this.readThisSecond = 0;
    this.#checkReadCall = this.callLater(1, () => this.checkReadBandwidth());
  }

  /** End of a second: throttle writes if they passed the limit, and start the next second. */
  checkWriteBandwidth(): void {
    const limit = this.writeLimit!;
    if (this.writtenThisSecond > limit) {
      this.throttleWrites();
      const pause = this.writtenThisSecond / limit - 1;
      this.#unthrottleWritesCall = this.callLater(pause, () => this.unthrottleWrites());
    }
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
    this.#unthrottleReadsCall = null;
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
    this.#unthrottleWritesCall = null;
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
    for (const call of [
      this.#unthrottleReadsCall,
      this.#checkReadCall,
      this.#unthrottleWritesCall,
      this.#checkWriteCall,
    ]) {
      if (call?.active()) call.cancel();
    }
    this.#unthrottleReadsCall = null;
    this.#checkReadCall = null;
    this.#unthrottleWritesCall = null;
    this.#checkWriteCall = null;
  }
}

function checkLimit(name: string, value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (!(value > 0))
    throw new RangeError(`ThrottlingFactory ${name} must be > 0 bytes/s, got ${value}`);
  return value;
}
