// Tests: tests/protocols/policies/timeout-factory.test.ts
import { Logger } from '../../log/index.js';
import { type IDelayedCall, type IReactorTime, reactor } from '../../time/index.js';
import type { Address } from '../address.js';
import type { Failure } from '../../failure/index.js';
import type { Handler } from '../connection.js';
import type { Protocol } from '../protocol.js';
import type { Data } from '../transport.js';
import { ProtocolWrapper } from './protocol-wrapper.js';
import { WrappingFactory } from './wrapping-factory.js';

const log = new Logger('woven.policies');

/** Options of {@link TimeoutFactory}. */
export interface TimeoutOptions {
  /** The clock timers run on (default: the global `reactor`). */
  clock?: IReactorTime;
  /**
   * Whether sending restarts the countdown too (default `true`, as Twisted:
   * idle means no traffic either way). With `false`, idle means nothing
   * received, so a client that never sends is closed even while it is sent data.
   */
  resetOnWrite?: boolean;
}

/**
 * The wrapper {@link TimeoutFactory} puts around each protocol, as Twisted's
 * `policies.TimeoutProtocol`: it closes the connection (gracefully) after
 * {@link timeoutPeriod} seconds without traffic.
 */
export class TimeoutProtocol extends ProtocolWrapper {
  /** The idle timeout in seconds, or `null` once cancelled. */
  timeoutPeriod: number | null = null;
  /** The pending timeout call, or `null`. */
  timeoutCall: IDelayedCall | null = null;
  readonly #factory: TimeoutFactory;

  constructor(factory: TimeoutFactory, wrappedProtocol: Protocol, timeoutPeriod: number | null) {
    super(factory, wrappedProtocol);
    this.#factory = factory;
    this.setTimeout(timeoutPeriod);
  }

  /** Cancel the current timeout and start a new one of `timeoutPeriod` seconds (`null`: none). */
  setTimeout(timeoutPeriod: number | null = null): void {
    this.cancelTimeout();
    this.timeoutPeriod = timeoutPeriod;
    if (timeoutPeriod !== null) {
      this.timeoutCall = this.#factory.callLater(timeoutPeriod, () => this.#timedOut());
    }
  }

  /** Cancel the timeout: the connection may now stay idle forever. */
  cancelTimeout(): void {
    this.timeoutPeriod = null;
    if (this.timeoutCall?.active()) this.timeoutCall.cancel();
    this.timeoutCall = null;
  }

  /** Restart the countdown from the full period. */
  resetTimeout(): void {
    if (this.timeoutCall !== null && this.timeoutPeriod !== null) {
      this.timeoutCall.reset(this.timeoutPeriod);
    }
  }

  override write(data: Data): void {
    if (this.#factory.resetOnWrite) this.resetTimeout();
    super.write(data);
  }

  override writeSequence(data: Iterable<Data>): void {
    if (this.#factory.resetOnWrite) this.resetTimeout();
    super.writeSequence(data);
  }

  override dataReceived(data: Uint8Array): void {
    this.resetTimeout();
    super.dataReceived(data);
  }

  override connectionLost(reason: Failure): void {
    this.cancelTimeout();
    super.connectionLost(reason);
  }

  /** Called when the timeout expires: closes the connection gracefully. */
  timeoutFunc(): void {
    log.info('Closing idle connection from {peer} after {seconds}s', {
      peer: this.transport?.getPeer(),
      seconds: this.timeoutPeriod,
    });
    this.loseConnection();
  }

  #timedOut(): void {
    this.timeoutCall = null;
    this.timeoutFunc();
  }
}

/**
 * Close connections idle for `timeoutPeriod` seconds (default 30 minutes),
 * around any handler — classic or stream style — as Twisted's
 * `policies.TimeoutFactory`. The countdown starts when the connection is
 * made and restarts on every chunk received (and sent, unless
 * `resetOnWrite: false`).
 *
 * @example
 * ```ts
 * // Drop clients that say nothing for 30 seconds.
 * await listen('tcp:8000', new TimeoutFactory(echo, 30, { resetOnWrite: false }));
 * ```
 */
export class TimeoutFactory extends WrappingFactory {
  /** The idle timeout of new connections, in seconds (`null`: none until a protocol sets one). */
  timeoutPeriod: number | null;
  /** The clock timers run on. */
  readonly clock: IReactorTime;
  /** Whether sending restarts the countdown. */
  readonly resetOnWrite: boolean;

  constructor(
    handler: Handler,
    timeoutPeriod: number | null = 30 * 60,
    options: TimeoutOptions = {},
  ) {
    super(handler);
    this.timeoutPeriod = timeoutPeriod;
    this.clock = options.clock ?? reactor;
    this.resetOnWrite = options.resetOnWrite ?? true;
  }

  /** Schedule `fn` after `period` seconds on {@link clock}. */
  callLater(period: number, fn: () => void): IDelayedCall {
    return this.clock.callLater(period, fn);
  }

  override wrapProtocol(wrapped: Protocol, _addr: Address): TimeoutProtocol {
    return new TimeoutProtocol(this, wrapped, this.timeoutPeriod);
  }
}
