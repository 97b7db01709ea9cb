import { CancelledError, Deferred, fail, maybeDeferred, succeed } from '../defer/index.js';
import type { IStreamClientEndpoint } from '../endpoints/index.js';
import { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import type { Connection, Handler, Protocol } from '../protocols/index.js';
import { type IDelayedCall, type IReactorTime, reactor } from '../time/index.js';
import { Service } from './service.js';

const log = new Logger('woven.app.client');

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
  /**
   * Called with each new connection before `whenConnected()` callers get it
   * (e.g. to log in); may return a Promise/Deferred. If it fails, the
   * connection is closed and counts as a failed attempt.
   */
  prepareConnection?: (connected: Protocol | Connection) => unknown;
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

type State =
  | 'init'
  | 'connecting'
  | 'waiting'
  | 'connected'
  | 'disconnecting'
  | 'restarting'
  | 'stopped';

interface Waiter {
  deferred: Deferred<Connected>;
  /** Failed attempts left before it fails; `undefined`: only on stop. */
  remaining: number | undefined;
}

/**
 * A service that keeps one client connection up while it runs, as Twisted's
 * `ClientService` (the same state machine): it connects at start, and after
 * a failed attempt or a lost connection tries again after
 * `retryPolicy(failedAttempts)` seconds (Twisted's default backoff: 1 s
 * growing by 1.5× up to 60 s, plus jitter). {@link whenConnected} gives the
 * current connection — the connected protocol for a classic handler, the
 * `Connection` otherwise. Stopping cancels a connection attempt or a
 * pending retry, closes the connection, fails pending `whenConnected()`s
 * with `CancelledError`, and fires once the connection is closed.
 *
 * @example
 * ```ts
 * const client = new ClientService(clientFromString(reactor, 'tcp:example.com:7'), undefined);
 * client.startService();
 * const conn = (await client.whenConnected()) as Connection;
 * await conn.write('hello');
 * ```
 */
export class ClientService extends Service {
  readonly #endpoint: IStreamClientEndpoint;
  readonly #handler: Handler | undefined;
  readonly #retryPolicy: RetryPolicy;
  readonly #clock: IReactorTime;
  readonly #prepare: ((connected: Connected) => unknown) | undefined;
  #state: State = 'init';
  #failedAttempts = 0;
  #current: Connected | undefined;
  #attempt: Deferred<unknown> | undefined;
  #retry: IDelayedCall | undefined;
  #waiters: Waiter[] = [];
  #stopWaiters: Deferred<void>[] = [];

  constructor(
    endpoint: IStreamClientEndpoint,
    handler: Handler | undefined,
    options: ClientServiceOptions = {},
  ) {
    super();
    this.#endpoint = endpoint;
    this.#handler = handler;
    this.#retryPolicy = options.retryPolicy ?? backoffPolicy();
    this.#clock = options.clock ?? reactor;
    this.#prepare = options.prepareConnection;
  }

  /** Start connecting (a second start while running is logged and ignored). */
  override startService(): void {
    if (this.running) {
      log.warn('Duplicate ClientService.startService');
      return;
    }
    super.startService();
    switch (this.#state) {
      case 'init':
      case 'stopped':
        this.#connect();
        break;
      case 'disconnecting':
        this.#state = 'restarting';
        this.#failedAttempts = 0;
        break;
      default:
        break;
    }
  }

  /**
   * Stop: cancel a connection attempt or a pending retry, close the
   * connection, fail pending `whenConnected()`s with `CancelledError`; fires
   * once no connection is left.
   */
  override stopService(): Deferred<void> {
    super.stopService();
    switch (this.#state) {
      case 'init':
      case 'stopped':
        this.#state = 'stopped';
        return succeed(undefined);
      case 'connecting': {
        this.#state = 'disconnecting';
        const stopped = this.#waitForStop();
        this.#attempt?.cancel();
        return stopped;
      }
      case 'waiting': {
        this.#state = 'stopped';
        const stopped = this.#waitForStop();
        this.#unawait(new Failure(new CancelledError('ClientService stopped')));
        if (this.#retry?.active()) this.#retry.cancel();
        this.#retry = undefined;
        this.#finishStopping();
        return stopped;
      }
      case 'connected': {
        this.#state = 'disconnecting';
        const stopped = this.#waitForStop();
        if (this.#current !== undefined) disconnect(this.#current);
        return stopped;
      }
      case 'restarting':
        this.#state = 'disconnecting';
        return this.#waitForStop();
      default:
        return this.#waitForStop();
    }
  }

  /**
   * The current connection, or the next one made: the connected protocol
   * (classic handler) or the `Connection`. Fails with `CancelledError` if the
   * service is stopped first; with `failAfterFailures`, fails with the
   * connection error once that many attempts in a row have failed.
   * Cancelling it withdraws the request.
   */
  whenConnected(failAfterFailures?: number): Deferred<Connected> {
    if (this.#state === 'connected' && this.#current !== undefined) return succeed(this.#current);
    if (this.#state === 'stopped') return fail(new CancelledError('ClientService stopped'));
    const waiter: Waiter = {
      remaining: failAfterFailures,
      deferred: new Deferred<Connected>(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
      }),
    };
    this.#waiters.push(waiter);
    return waiter.deferred;
  }

  #waitForStop(): Deferred<void> {
    const d = new Deferred<void>();
    this.#stopWaiters.push(d);
    return d;
  }

  #finishStopping(): void {
    const waiting = this.#stopWaiters;
    this.#stopWaiters = [];
    for (const d of waiting) d.callback(undefined);
  }

  #unawait(value: Connected | Failure): void {
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const w of waiting) w.deferred.callback(value as Connected);
  }

  #connect(): void {
    this.#state = 'connecting';
    this.#retry = undefined;
    let raw: unknown;
    const attempt = maybeDeferred(() => {
      raw = this.#endpoint.connect(this.#handler);
      return raw;
    });
    this.#attempt = attempt;
    attempt
      .addCallback((connected: unknown) => this.#runPrepare(connected as Connected))
      .addCallbacks(
        (connected: unknown) => {
          if (this.#attempt === attempt) this.#connectionMade(connected as Connected);
        },
        (failure: Failure) => {
          if (this.#attempt === attempt) this.#connectionFailed(failure);
        },
      );
    // A cancelled attempt on a plain Promise may still succeed later: close that connection.
    if (!(raw instanceof Deferred) && typeof (raw as PromiseLike<unknown>)?.then === 'function') {
      (raw as PromiseLike<unknown>).then(
        (connected) => {
          if (this.#attempt !== attempt || this.#state !== 'connecting') {
            if (this.#current !== connected) disconnect(connected as Connected);
          }
        },
        () => undefined,
      );
    }
  }

  #runPrepare(connected: Connected): Deferred<Connected> | Connected {
    if (this.#prepare === undefined) return connected;
    const prepare = this.#prepare;
    return maybeDeferred(() => prepare(connected)).addCallbacks(
      () => connected,
      (failure: Failure) => {
        disconnect(connected);
        return failure;
      },
    ) as unknown as Deferred<Connected>;
  }

  #connectionMade(connected: Connected): void {
    this.#attempt = undefined;
    this.#failedAttempts = 0;
    this.#current = connected;
    this.#state = 'connected';
    watchLoss(connected, () => this.#clientDisconnected(connected));
    this.#unawait(connected);
  }

  #connectionFailed(failure: Failure): void {
    this.#attempt = undefined;
    if (this.#state === 'disconnecting') {
      this.#state = 'stopped';
      this.#unawait(new Failure(new CancelledError('ClientService stopped')));
      this.#finishStopping();
      return;
    }
    log.info('connection attempt failed: {reason}', { reason: failure.value });
    this.#wait();
    this.#deliverConnectionFailure(failure);
  }

  #deliverConnectionFailure(failure: Failure): void {
    // Counted down in place: a waiter's canceller finds it by identity.
    const ready: Waiter[] = [];
    const notReady: Waiter[] = [];
    for (const w of this.#waiters) {
      if (w.remaining !== undefined && --w.remaining <= 0) ready.push(w);
      else notReady.push(w);
    }
    this.#waiters = notReady;
    for (const w of ready) w.deferred.errback(failure);
  }

  #clientDisconnected(connected: Connected): void {
    if (this.#current !== connected) return;
    this.#current = undefined;
    switch (this.#state) {
      case 'connected':
        this.#wait();
        break;
      case 'disconnecting':
        this.#state = 'stopped';
        this.#unawait(new Failure(new CancelledError('ClientService stopped')));
        this.#finishStopping();
        break;
      case 'restarting':
        this.#finishStopping();
        this.#connect();
        break;
      default:
        break;
    }
  }

  #wait(): void {
    this.#state = 'waiting';
    this.#failedAttempts++;
    const delay = this.#retryPolicy(this.#failedAttempts);
    log.info('scheduling retry {attempt} in {delay} seconds', {
      attempt: this.#failedAttempts,
      delay,
    });
    this.#retry = this.#clock.callLater(delay, () => this.#connect());
  }
}
