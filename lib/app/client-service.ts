import { CancelledError, Deferred } from '../defer/index.js';
import type { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import type { Connection, Handler, Protocol } from '../protocols/index.js';
import { type IDelayedCall, type IReactorTime, reactor } from '../time/index.js';
import { Service } from './service.js';

const log = new Logger('woven.app.client');

/** A client endpoint: something that can connect, with a handler or without. */
export interface ClientEndpointLike {
  connect(handler?: Handler): PromiseLike<unknown>;
}

/** Seconds to wait before the next attempt, given how many attempts have failed in a row. */
export type RetryPolicy = (failedAttempts: number) => number;

/**
 * An exponential backoff policy, as Twisted's `backoffPolicy`:
 * `min(initialDelay * factor ** attempts, maxDelay) + jitter()`.
 *
 * @example
 * ```ts
 * new ClientService(endpoint, handler, { retryPolicy: backoffPolicy({ maxDelay: 10 }) });
 * ```
 */
export function backoffPolicy({
  initialDelay = 1.0,
  maxDelay = 60.0,
  factor = 1.5,
  jitter = Math.random,
}: {
  initialDelay?: number;
  maxDelay?: number;
  factor?: number;
  jitter?: () => number;
} = {}): RetryPolicy {
  return (attempts) => {
    const delay = initialDelay * factor ** Math.min(100, attempts);
    return (Number.isFinite(delay) ? Math.min(delay, maxDelay) : maxDelay) + jitter();
  };
}

/** Options of a {@link ClientService}. */
export interface ClientServiceOptions {
  /** Seconds before the next attempt; default {@link backoffPolicy}(). */
  retryPolicy?: RetryPolicy;
  /** Where time comes from (default: the reactor). */
  clock?: IReactorTime;
}

type Connected = Protocol | Connection;

function isConnection(value: unknown): value is Connection {
  return typeof (value as Connection)?.close === 'function' && 'closed' in (value as object);
}

/** Call `onLost` once `connected` is gone. */
function watchLoss(connected: Connected, onLost: () => void): void {
  if (isConnection(connected)) {
    void connected.closed.then(onLost);
    return;
  }
  const proto = connected as Protocol;
  const original = proto.connectionLost.bind(proto);
  proto.connectionLost = (reason: Failure) => {
    try {
      original(reason);
    } finally {
      onLost();
    }
  };
}

function disconnect(connected: Connected): void {
  if (isConnection(connected)) void connected.close();
  else (connected as Protocol).transport?.loseConnection();
}

/**
 * A service that keeps one client connection up while it runs, as Twisted's
 * `ClientService`: it connects at start, and after a failed attempt or a
 * lost connection tries again after `retryPolicy(failedAttempts)` seconds
 * (Twisted's default backoff: 1 s growing by 1.5× up to 60 s, plus jitter).
 * {@link whenConnected} gives the current connection — the connected
 * protocol for a classic handler, the `Connection` otherwise. Stopping
 * closes the connection and fails pending `whenConnected()`s with
 * `CancelledError`.
 *
 * @example
 * ```ts
 * const client = new ClientService(clientFromString(reactor, 'tcp:example.com:7'), undefined);
 * client.startService();
 * const conn = await client.whenConnected();
 * await conn.write('hello');
 * ```
 */
export class ClientService extends Service {
  readonly #endpoint: ClientEndpointLike;
  readonly #handler: Handler | undefined;
  readonly #retryPolicy: RetryPolicy;
  readonly #clock: IReactorTime;
  #failedAttempts = 0;
  #current: Connected | undefined;
  #attempt: Promise<void> | undefined;
  #retry: IDelayedCall | undefined;
  #waiters: Deferred<Connected>[] = [];
  #lost: Deferred<void> | undefined;

  constructor(
    endpoint: ClientEndpointLike,
    handler: Handler | undefined,
    options: ClientServiceOptions = {},
  ) {
    super();
    this.#endpoint = endpoint;
    this.#handler = handler;
    this.#retryPolicy = options.retryPolicy ?? backoffPolicy();
    this.#clock = options.clock ?? reactor;
  }

  /** Start connecting. */
  override startService(): void {
    if (this.running) return;
    super.startService();
    this.#failedAttempts = 0;
    this.#connect();
  }

  /**
   * Stop: cancel a pending retry, fail pending `whenConnected()`s with
   * `CancelledError`, close the connection; fires once it is closed.
   */
  override stopService(): Deferred<void> {
    super.stopService();
    if (this.#retry?.active()) this.#retry.cancel();
    this.#retry = undefined;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.errback(new CancelledError('ClientService stopped'));
    const current = this.#current;
    if (current !== undefined) {
      const lost = new Deferred<void>();
      this.#lost = lost;
      disconnect(current);
      return lost;
    }
    return Deferred.fromPromise(this.#attempt ?? Promise.resolve());
  }

  /**
   * The current connection, or the next one made: the connected protocol
   * (classic handler) or the `Connection`. Fails with `CancelledError` if
   * the service is stopped first; cancelling it withdraws the request.
   */
  whenConnected(): Deferred<Connected> {
    if (this.#current !== undefined) return Deferred.fromPromise(Promise.resolve(this.#current));
    const waiter: Deferred<Connected> = new Deferred<Connected>(() => {
      this.#waiters = this.#waiters.filter((w) => w !== waiter);
    });
    this.#waiters.push(waiter);
    return waiter;
  }

  #connect(): void {
    this.#retry = undefined;
    const attempt = Promise.resolve(this.#endpoint.connect(this.#handler)).then(
      (connected) => this.#connected(connected as Connected),
      (error: unknown) => this.#failed(error),
    );
    this.#attempt = attempt;
  }

  #connected(connected: Connected): void {
    this.#attempt = undefined;
    if (!this.running) {
      disconnect(connected);
      return;
    }
    this.#failedAttempts = 0;
    this.#current = connected;
    watchLoss(connected, () => this.#connectionLost(connected));
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.callback(connected);
  }

  #failed(error: unknown): void {
    this.#attempt = undefined;
    if (!this.running) return;
    log.info('connection attempt failed: {reason}', { reason: error });
    this.#scheduleRetry();
  }

  #connectionLost(connected: Connected): void {
    if (this.#current !== connected) return;
    this.#current = undefined;
    const lost = this.#lost;
    this.#lost = undefined;
    lost?.callback(undefined);
    if (this.running) this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    this.#failedAttempts++;
    const delay = this.#retryPolicy(this.#failedAttempts);
    this.#retry = this.#clock.callLater(delay, () => this.#connect());
  }
}
