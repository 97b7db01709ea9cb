// Tests: tests/protocols/reconnecting.test.ts
import type { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import { type IDelayedCall, type IReactorTime, reactor } from '../time/index.js';
import { ClientFactory, type IConnector } from './factory.js';

const log = new Logger('woven.protocols.reconnecting');

/** A sample of the normal distribution N(mu, sigma), as Python's `random.normalvariate`. */
function normalVariate(mu: number, sigma: number): number {
  // Box-Muller; 1 - random() is in (0, 1], so the log is finite.
  const u = 1 - Math.random();
  const v = Math.random();
  return mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A client factory that reconnects with exponential back-off, as Twisted's
 * `ReconnectingClientFactory`: each failed or lost connection schedules
 * `connector.connect()` after {@link delay} seconds, which grows by
 * {@link factor} (with {@link jitter}) up to {@link maxDelay}. Call
 * {@link resetDelay} once connected (typically in `buildProtocol`).
 *
 * @example
 * ```ts
 * class Client extends ReconnectingClientFactory {
 *   override buildProtocol(addr: Address) {
 *     this.resetDelay();
 *     return super.buildProtocol(addr);
 *   }
 * }
 * const factory = Client.forProtocol(MyProtocol);
 * reactor.connectTCP('example.com', 80, factory);
 * ```
 */
export class ReconnectingClientFactory extends ClientFactory {
  /** The longest delay between attempts, in seconds. */
  maxDelay = 3600;
  /** The delay before the first retry, in seconds. */
  initialDelay = 1.0;
  /** The multiplier applied to the delay at each retry (e). */
  factor = Math.E; // 2.7182818284590451, as Twisted
  /** The relative standard deviation of the random spread applied to each delay. */
  jitter = 0.119626565582;
  /** Stop after this many consecutive failed attempts (no limit when unset). */
  maxRetries?: number | null;
  /** The current delay, in seconds. */
  delay = this.initialDelay;
  /** Consecutive attempts so far. */
  retries = 0;
  /** False once {@link stopTrying} was called. */
  continueTrying = true;
  /** The connector retried, remembered from the last failure or loss. */
  connector: IConnector | null = null;

  #clock: IReactorTime | null = null;
  #callID: IDelayedCall | null = null;

  /** The clock retries are scheduled on; defaults to the global `reactor`. */
  get clock(): IReactorTime {
    return this.#clock ?? reactor;
  }

  set clock(clock: IReactorTime | null) {
    this.#clock = clock;
  }

  /** Retry, unless {@link stopTrying} was called. */
  override clientConnectionFailed(connector: IConnector, _reason: Failure | null): void {
    if (this.continueTrying) {
      this.connector = connector;
      this.retry();
    }
  }

  /** Retry, unless {@link stopTrying} was called. */
  override clientConnectionLost(connector: IConnector, _reason: Failure | null): void {
    if (this.continueTrying) {
      this.connector = connector;
      this.retry();
    }
  }

  /**
   * Schedule `connector.connect()` (by default the remembered connector)
   * after the next back-off delay. Throws when there is no connector.
   */
  retry(connector?: IConnector): void {
    if (!this.continueTrying) {
      if (this.noisy) log.info('Abandoning {connector} on explicit request', { connector });
      return;
    }
    const target = connector ?? this.connector;
    if (!target) throw new TypeError('no connector to retry');
    this.retries += 1;
    if (this.maxRetries != null && this.retries > this.maxRetries) {
      if (this.noisy) {
        log.info('Abandoning {connector} after {retries} retries.', {
          connector: target,
          retries: this.retries,
        });
      }
      return;
    }
    this.delay = Math.min(this.delay * this.factor, this.maxDelay);
    if (this.jitter) this.delay = normalVariate(this.delay, this.delay * this.jitter);
    // A wide jitter could draw a negative delay; the clock rejects those.
    this.delay = Math.max(this.delay, 0);
    if (this.noisy) {
      log.info('{connector} will retry in {delay} seconds', {
        connector: target,
        delay: Math.trunc(this.delay),
      });
    }
    this.#callID = this.clock.callLater(this.delay, () => {
      this.#callID = null;
      target.connect();
    });
  }

  /** Cancel any pending retry and any connection attempt in progress; never retry again. */
  stopTrying(): void {
    if (this.#callID) {
      this.#callID.cancel();
      this.#callID = null;
    }
    this.continueTrying = false;
    if (this.connector) {
      try {
        this.connector.stopConnecting();
      } catch (e) {
        if ((e as { name?: unknown } | null)?.name !== 'NotConnectingError') throw e;
      }
    }
  }

  /** Call after a successful connection: reset the delay and the retry count. */
  resetDelay(): void {
    this.delay = this.initialDelay;
    this.retries = 0;
    this.#callID = null;
    this.continueTrying = true;
  }
}
