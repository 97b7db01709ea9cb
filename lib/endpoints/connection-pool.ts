// Tests: tests/endpoints/connection-pool.test.ts
// In endpoints because a pool makes its connections through a client
// endpoint (or a description), the layer that knows them; app (services)
// would be one layer too high for clients that use no service.
import { AbortError, type IDelayedCall, type SignalOptions, TimeoutError } from '../defer/index.js';
import { setErrorName, WovenError } from '../failure/index.js';
import { type Connection, JobQueue } from '../protocols/index.js';
import { reactor as defaultClock, type IReactorTime } from '../time/index.js';
import { reactor as defaultReactor, type IReactorNetwork } from '../transports/index.js';
import type { IStreamClientEndpoint } from './interfaces.js';
import { connect } from './shortcuts.js';

/** Options of a {@link ConnectionPool}. */
export interface ConnectionPoolOptions {
  /** The most connections open at once (busy and idle together). */
  max: number;
  /** The most idle connections kept for reuse (default `max`); more are closed. */
  maxIdle?: number;
  /** Seconds an idle connection is kept before it is closed (default 30). */
  idleTimeout?: number;
  /**
   * Seconds a `run` may wait for its connection, queued or connecting
   * (default 30); past it, it fails with a `TimeoutError`.
   */
  acquireTimeout?: number;
  /** The reactor descriptions are connected with (default: the global `reactor`). */
  reactor?: IReactorNetwork;
  /** The clock of the timeouts (default: the global `reactor`). */
  clock?: IReactorTime;
}

/** The error of a `run` on a {@link ConnectionPool} that is closed, or closed while it waited. */
export class PoolClosedError extends WovenError {
  static {
    setErrorName(this, 'PoolClosedError', 'ERR_POOL_CLOSED');
  }
}

/**
 * What a `run` waits with: its caller's signal and the acquire timeout, as
 * one signal. The controller and the timer are made only when the run has
 * to wait (queued, or connecting): a run served at once by an idle
 * connection costs neither.
 */
class Attempt {
  #controller: AbortController | undefined;
  readonly #caller: AbortSignal | undefined;
  #timer: IDelayedCall | undefined;
  #aborted = false;
  #reason: unknown;
  /** The connection once acquired, aborted when the caller aborts. */
  conn: Connection | undefined;

  readonly #timeout: number;
  readonly #clock: IReactorTime;

  constructor(caller: AbortSignal | undefined, timeout: number, clock: IReactorTime) {
    this.#caller = caller;
    this.#timeout = timeout;
    this.#clock = clock;
    caller?.addEventListener('abort', this);
  }

  /** Start the acquire timeout: the run has to wait for its connection. */
  waits(): void {
    if (this.#timer !== undefined || this.conn !== undefined) return;
    this.#timer = this.#clock.callLater(this.#timeout, () => {
      this.#abort(new TimeoutError(`no connection within ${this.#timeout}s (acquireTimeout)`));
    });
  }

  /** Aborts once the caller aborts, or the acquire times out. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Throw the abort or timeout, if one happened. */
  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  /** The caller aborted: stop waiting, or abort the connection in use. */
  handleEvent(): void {
    const error = AbortError.fromSignal(this.#caller!);
    this.#abort(error);
    this.conn?.abort(error);
  }

  /** The connection is acquired: the timeout no longer applies. */
  acquired(conn: Connection): void {
    this.conn = conn;
    this.#stopTimer();
  }

  /** What the run fails with: the abort or timeout if one happened, else `error`. */
  failure(error: unknown): unknown {
    return this.#aborted ? this.#reason : error;
  }

  dispose(): void {
    this.#caller?.removeEventListener('abort', this);
    this.#stopTimer();
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }

  #stopTimer(): void {
    if (this.#timer?.active()) this.#timer.cancel();
    this.#timer = undefined;
  }
}

/** The first waiting run, waiting for a slot to free. */
interface NextInLine {
  readonly grant: () => void;
  readonly fail: (error: Error) => void;
}

interface Idle {
  readonly conn: Connection;
  /** When it became idle, on the pool's clock. */
  readonly since: number;
}

/**
 * A pool of client connections to one endpoint: `run(fn)` hands `fn` an
 * idle connection, or a new one, and takes it back when `fn` settles. At
 * most `max` connections are open; further runs wait, first come first
 * served, on a p-queue (aborting a waiting run's `signal` takes it out of
 * the queue at once); a run that finds a free slot and nobody waiting
 * skips the queue, and the acquire timeout is armed only for a run that
 * waits (queued, or connecting). A connection that closed, or whose `fn` failed, is
 * never handed out again (a failed one is aborted: its state is unknown);
 * idle ones beyond `maxIdle` or idle for `idleTimeout` seconds are closed.
 * Aborting `signal` while `fn` runs aborts its connection, and the run
 * fails with an `AbortError` once `fn` settles. `close()` refuses new
 * runs, fails the waiting ones and closes every connection.
 *
 * @example
 * ```ts
 * const pool = new ConnectionPool('tcp:127.0.0.1:6379', { max: 8, idleTimeout: 60 });
 * const reply = await pool.run(async (conn) => {
 *   await conn.write('PING\r\n');
 *   const reader = new ByteReader(conn);
 *   const line = await reader.readLine();
 *   reader.detach(); // leave no reader behind: the connection goes back to the pool
 *   return line;
 * }, { signal: AbortSignal.timeout(5000) });
 * await pool.close();
 * ```
 */
export class ConnectionPool {
  /** The most connections open at once. */
  readonly max: number;
  /** The most idle connections kept. */
  readonly maxIdle: number;
  /** Seconds an idle connection is kept. */
  readonly idleTimeout: number;
  /** Seconds a run may wait for its connection. */
  readonly acquireTimeout: number;
  readonly #target: string | IStreamClientEndpoint;
  readonly #reactor: IReactorNetwork;
  readonly #clock: IReactorTime;
  /** The waiting runs, in order (p-queue); the first of them waits in {@link #nextInLine}. */
  readonly #queue = new JobQueue({ concurrency: 1 });
  #nextInLine: NextInLine | undefined;
  /** Runs holding one of the `max` slots: connecting, or running `fn`. */
  #busy = 0;
  readonly #open = new Set<Connection>();
  /** Oldest first; runs take the newest. */
  readonly #idle: Idle[] = [];
  /** The one timer that closes idle connections once their time is up. */
  #sweep: IDelayedCall | undefined;
  #closed = false;

  /**
   * @param endpoint a client endpoint, or a client description (`tcp:HOST:PORT`).
   * @param options the limits; `max` is required.
   */
  constructor(endpoint: string | IStreamClientEndpoint, options: ConnectionPoolOptions) {
    const { max, maxIdle = max, idleTimeout = 30, acquireTimeout = 30 } = options;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`ConnectionPool max must be an integer >= 1, got ${max}`);
    }
    if (!Number.isInteger(maxIdle) || maxIdle < 0 || maxIdle > max) {
      throw new RangeError(`ConnectionPool maxIdle must be an integer in 0..max, got ${maxIdle}`);
    }
    for (const [name, value] of [
      ['idleTimeout', idleTimeout],
      ['acquireTimeout', acquireTimeout],
    ] as const) {
      if (!(value >= 0))
        throw new RangeError(`ConnectionPool ${name} must be >= 0 seconds, got ${value}`);
    }
    this.max = max;
    this.maxIdle = maxIdle;
    this.idleTimeout = idleTimeout;
    this.acquireTimeout = acquireTimeout;
    this.#target = endpoint;
    this.#reactor = options.reactor ?? defaultReactor;
    this.#clock = options.clock ?? defaultClock;
  }

  /** Connections open: busy and idle. */
  get size(): number {
    return this.#open.size;
  }

  /** Idle connections, ready for the next run. */
  get idle(): number {
    return this.#idle.length;
  }

  /** Runs waiting for a connection. */
  get waiting(): number {
    return this.#queue.waiting + (this.#nextInLine === undefined ? 0 : 1);
  }

  /**
   * Run `fn` with a connection of the pool and settle as it does; the
   * connection goes back to the pool when `fn` settles (closed instead if
   * `fn` failed). Fails with a `TimeoutError` past `acquireTimeout`, an
   * `AbortError` when `options.signal` aborts, a {@link PoolClosedError}
   * once the pool is closed. `fn` must leave the connection as it found it
   * (no unread reply, no reader attached) for the next run.
   */
  run<T>(fn: (conn: Connection) => Promise<T>, options?: SignalOptions): Promise<T> {
    if (this.#closed) return Promise.reject(new PoolClosedError('the pool is closed'));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(AbortError.fromSignal(signal));
    const attempt = new Attempt(signal, this.acquireTimeout, this.#clock);
    if (this.#busy < this.max && this.waiting === 0) {
      // The fast path: a free slot and nobody ahead, so no queue.
      this.#busy += 1;
      return this.#serve(fn, attempt);
    }
    attempt.waits();
    return this.#queue
      .run(() => this.#slot(attempt), { signal: attempt.signal })
      .then(
        () => this.#serve(fn, attempt),
        (error: unknown) => {
          attempt.dispose();
          throw attempt.failure(error);
        },
      );
  }

  /**
   * Close the pool: new runs fail, waiting runs fail with
   * {@link PoolClosedError}, and every connection, idle or busy, is closed
   * gracefully. Resolves once they all are gone.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#queue.clear(new PoolClosedError('the pool was closed'));
    this.#nextInLine?.fail(new PoolClosedError('the pool was closed'));
    this.#idle.length = 0;
    this.#stopSweep();
    const open = [...this.#open];
    await Promise.all(open.map((conn) => conn.close()));
  }

  /** The same as {@link close}, with the name services use. */
  stop(): Promise<void> {
    return this.close();
  }

  /**
   * The first waiting run's turn in the queue: resolves once it holds a
   * slot (at once if one is free), rejects when it aborts or the pool closes.
   */
  #slot(attempt: Attempt): Promise<void> {
    if (this.#busy < this.max) {
      this.#busy += 1;
      return Promise.resolve();
    }
    const signal = attempt.signal;
    return new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        this.#nextInLine = undefined;
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        settle();
        reject(signal.reason);
      };
      this.#nextInLine = {
        grant: () => {
          settle();
          resolve();
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A run gives its slot back: to the first waiting run, if there is one. */
  #free(): void {
    if (this.#nextInLine !== undefined) this.#nextInLine.grant();
    else this.#busy -= 1;
  }

  /** Run `fn` on a connection, holding a slot, which is freed when it settles. */
  async #serve<T>(fn: (conn: Connection) => Promise<T>, attempt: Attempt): Promise<T> {
    try {
      const conn = this.#takeIdle() ?? (await this.#connect(attempt));
      attempt.acquired(conn);
      let result: T;
      try {
        result = await fn(conn);
      } catch (error) {
        conn.abort(error);
        throw error;
      }
      attempt.throwIfAborted();
      this.#release(conn);
      return result;
    } catch (error) {
      throw attempt.failure(error);
    } finally {
      attempt.dispose();
      this.#free();
    }
  }

  /** An idle connection still open (the most recently used), if any. */
  #takeIdle(): Connection | undefined {
    for (let idle = this.#idle.pop(); idle !== undefined; idle = this.#idle.pop()) {
      if (!idle.conn.signal.aborted) return idle.conn;
    }
    return undefined;
  }

  /** A new connection (the acquire timeout runs meanwhile). */
  async #connect(attempt: Attempt): Promise<Connection> {
    if (this.#closed) throw new PoolClosedError('the pool was closed');
    attempt.waits();
    const conn = await connect(this.#target, this.#reactor, { signal: attempt.signal });
    this.#open.add(conn);
    void conn.closed.then(() => this.#forget(conn));
    if (this.#closed) {
      void conn.close();
      throw new PoolClosedError('the pool was closed');
    }
    return conn;
  }

  /** Back to the idle list, unless it closed, the pool is closed, or enough are idle. */
  #release(conn: Connection): void {
    if (conn.signal.aborted) return;
    if (this.#closed || this.#idle.length >= this.maxIdle) {
      void conn.close();
      return;
    }
    this.#idle.push({ conn, since: this.#clock.seconds() });
    this.#sweep ??= this.#clock.callLater(this.idleTimeout, () => this.#sweepIdle());
  }

  /** A connection is gone: it leaves the pool (and the idle list). */
  #forget(conn: Connection): void {
    this.#open.delete(conn);
    this.#dropIdle(conn);
  }

  #dropIdle(conn: Connection): void {
    const at = this.#idle.findIndex((idle) => idle.conn === conn);
    if (at >= 0) this.#idle.splice(at, 1);
  }

  /** Close the connections idle for `idleTimeout`; wait for the next oldest. */
  #sweepIdle(): void {
    this.#sweep = undefined;
    const now = this.#clock.seconds();
    while (this.#idle.length > 0 && this.#idle[0]!.since + this.idleTimeout <= now) {
      void this.#idle.shift()!.conn.close();
    }
    const oldest = this.#idle[0];
    if (oldest !== undefined) {
      this.#sweep = this.#clock.callLater(oldest.since + this.idleTimeout - now, () =>
        this.#sweepIdle(),
      );
    }
  }

  #stopSweep(): void {
    if (this.#sweep?.active()) this.#sweep.cancel();
    this.#sweep = undefined;
  }
}
