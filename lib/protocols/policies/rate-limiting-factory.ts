// Tests: tests/protocols/policies/rate-limiting-factory.test.ts
import type { Failure } from '../../failure/index.js';
import { Logger } from '../../log/index.js';
import type { Address } from '../address.js';
import type { Handler } from '../connection.js';
import type { Protocol } from '../protocol.js';
import { JobQueue, QueueFullError } from './job-queue.js';
import { ProtocolWrapper } from './protocol-wrapper.js';
import { WrappingFactory } from './wrapping-factory.js';

const log = new Logger('woven.policies');

/** Options of {@link RateLimitingFactory}. */
export interface RateLimitOptions {
  /** New connections served per second (an integer >= 1). */
  rate: number;
  /**
   * The most connections waiting for their turn (default: `rate`, one
   * second's worth); one more is refused: closed at once, and logged.
   */
  maxWaiting?: number;
}

/**
 * The wrapper {@link RateLimitingFactory} puts around each protocol: the
 * connection is accepted but not served (reading paused, what arrived kept)
 * until its turn comes; the wrapped protocol then connects as usual. A
 * connection lost while waiting leaves the queue.
 */
export class RateLimitedProtocol extends ProtocolWrapper {
  readonly #factory: RateLimitingFactory;
  readonly #waiting = new AbortController();
  #served = false;
  #early: Uint8Array[] = [];

  readonly #peer: Address;

  constructor(factory: RateLimitingFactory, wrappedProtocol: Protocol, peer: Address) {
    super(factory, wrappedProtocol);
    this.#factory = factory;
    this.#peer = peer;
  }

  /** Wait for a turn (reading paused); then connect the wrapped protocol, or close when refused. */
  override connectionMade(): void {
    this.transport!.pauseProducing();
    this.#factory.queue
      .run(async () => this.#serve(), { signal: this.#waiting.signal })
      .catch((error: unknown) => this.#refused(error));
  }

  override dataReceived(data: Uint8Array): void {
    if (this.#served) super.dataReceived(data);
    else this.#early.push(data);
  }

  /** Stopping the server closes a connection still waiting. */
  override serverStopping(reason: Error): void {
    if (this.#served) super.serverStopping(reason);
    else this.loseConnection();
  }

  override connectionLost(reason: Failure): void {
    if (this.#served) super.connectionLost(reason);
    else this.#waiting.abort(reason.value);
  }

  #serve(): void {
    this.#served = true;
    super.connectionMade();
    for (const chunk of this.#early.splice(0)) super.dataReceived(chunk);
    this.transport!.resumeProducing();
  }

  #refused(error: unknown): void {
    if (!(error instanceof QueueFullError)) return; // lost while waiting
    log.warn('Refusing connection from {peer}: {waiting} connections waiting (rate {rate}/s)', {
      peer: this.#peer,
      waiting: this.#factory.queue.waiting,
      rate: this.#factory.rate,
    });
    this.transport!.abortConnection();
  }
}

/**
 * Limit the rate of new connections to any handler (classic or stream
 * style): at most `rate` are served per second, on p-queue's interval
 * limits; those over the rate wait their turn (accepted, not yet read), up
 * to `maxWaiting` of them; one more is refused — closed at once and logged
 * under `woven.policies` with its peer. In a description: `rate=N` and
 * `rateQueue=N` on any server endpoint (`tcp:8000:rate=100:rateQueue=200`).
 * The rate is measured in real time (p-queue's timers), not on a `Clock`.
 *
 * @example
 * ```ts
 * await listen('tcp:8000', new RateLimitingFactory(echo, { rate: 100, maxWaiting: 200 }));
 * ```
 */
export class RateLimitingFactory extends WrappingFactory {
  /** Connections served per second. */
  readonly rate: number;
  /** The most connections waiting. */
  readonly maxWaiting: number;
  /** The queue of connections waiting for their turn. */
  readonly queue: JobQueue;

  constructor(handler: Handler, options: RateLimitOptions) {
    super(handler);
    const { rate, maxWaiting = rate } = options;
    if (!Number.isInteger(rate) || rate < 1) {
      throw new RangeError(`RateLimitingFactory rate must be an integer >= 1, got ${rate}`);
    }
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) {
      throw new RangeError(
        `RateLimitingFactory maxWaiting must be an integer >= 0, got ${maxWaiting}`,
      );
    }
    this.rate = rate;
    this.maxWaiting = maxWaiting;
    this.queue = new JobQueue({ interval: 1, intervalCap: rate, maxWaiting });
  }

  override wrapProtocol(wrapped: Protocol, addr: Address): RateLimitedProtocol {
    return new RateLimitedProtocol(this, wrapped, addr);
  }
}
