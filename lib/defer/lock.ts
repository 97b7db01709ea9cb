// Tests: tests/defer/lock.test.ts, tests/defer/semaphore.test.ts
import { setErrorName, WovenError } from '../failure/index.js';
import { cancelOnSignal, type SignalOptions } from './cancel-on-signal.js';
import { Deferred } from './deferred.js';
import { AbortError } from './errors.js';
import { fail } from './functions.js';
import { isThenable } from './thenable.js';
import { WaitList } from './wait-list.js';

/**
 * Thrown by `release()` on a {@link DeferredLock} that is not locked, or on a
 * {@link DeferredSemaphore} released more times than it was acquired (where
 * Twisted fails an assertion).
 */
export class NotLockedError extends WovenError {
  static {
    setErrorName(this, 'NotLockedError', 'ERR_NOT_LOCKED');
  }
}

/**
 * What {@link DeferredLock} and {@link DeferredSemaphore} share (Twisted's
 * `_ConcurrencyPrimitive`): up to `limit` holders at once, a first-in
 * first-out list of waiting acquires (each cancellable: a cancelled acquire
 * leaves the list and fails with `CancelledError`), and {@link run}.
 */
export abstract class ConcurrencyPrimitive {
  readonly #limit: number;
  #tokens: number;
  readonly #waiting = new WaitList<Deferred<this>>();

  protected constructor(limit: number) {
    this.#limit = limit;
    this.#tokens = limit;
  }

  /** How many more holders may acquire at once without waiting. */
  get tokens(): number {
    return this.#tokens;
  }

  /** How many holders may hold this at once. */
  get limit(): number {
    return this.#limit;
  }

  /** The acquires waiting, first to be served first (a copy). */
  get waiting(): Deferred<this>[] {
    return this.#waiting.toArray();
  }

  /**
   * Acquire: a Deferred that fires with this object once acquired, at once
   * if a token is free, otherwise after earlier waiters. Cancelling it while
   * it waits removes it from the waiting list; cancelling it once it fired
   * does nothing (the caller then holds it and must `release()`).
   * Aborting `options.signal` while it waits cancels it the same way, with
   * an `AbortError`.
   *
   * @example
   * ```ts
   * const held = await lock.acquire({ signal: AbortSignal.timeout(1000) });
   * ```
   */
  acquire(options?: SignalOptions): Deferred<this> {
    if (options?.signal?.aborted) return fail(AbortError.fromSignal(options.signal));
    const d = new Deferred<this>((waiter) => {
      this.#waiting.delete(waiter);
    });
    if (this.#tokens > 0) {
      this.#tokens -= 1;
      d.callback(this);
    } else {
      this.#waiting.add(d);
    }
    return cancelOnSignal(d, options?.signal);
  }

  /**
   * Release what `acquire()` gave; the first waiter, if any, acquires it at
   * once (synchronously). Throws {@link NotLockedError} when nothing is held.
   */
  release(): void {
    if (this.#tokens >= this.#limit) {
      throw new NotLockedError(`release() of a ${this.constructor.name} that is not acquired`);
    }
    const next = this.#waiting.shift();
    if (next === undefined) this.#tokens += 1;
    else next.callback(this);
  }

  /**
   * Acquire, call `fn(...args)`, and release once its result settles (`fn`
   * may return a value, a Deferred or a Promise; a throw is a failure). The
   * returned Deferred fires with `fn`'s result.
   *
   * Cancelling it while it waits to acquire means `fn` is never called.
   * Cancelling it while `fn`'s result is pending cancels a returned Deferred
   * (released when that fires, as in Twisted); a returned Promise cannot be
   * cancelled, so the caller stops waiting at once but the hold lasts until
   * the Promise settles (the protected work is never overlapped).
   *
   * @example
   * ```ts
   * const lock = new DeferredLock();
   * await lock.run(async () => { await writeFile(path, data); });
   * ```
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Deferred<Awaited<R>> {
    if (typeof fn !== 'function') throw new TypeError('run() needs a function to call');
    return this.acquire().addCallback(() => this.#callHeld(fn, args)) as Deferred<Awaited<R>>;
  }

  /** Call `fn` while holding a token; release when its result settles. */
  #callHeld<A extends unknown[], R>(fn: (...args: A) => R, args: A): unknown {
    const release = () => {
      this.release();
    };
    let result: R;
    try {
      result = fn(...args);
    } catch (error) {
      release();
      throw error;
    }
    if (result instanceof Deferred) {
      return result.addBoth((r) => {
        release();
        return r;
      });
    }
    if (isThenable(result)) result.then(release, release);
    else release();
    return result;
  }
}

/**
 * A lock for event-driven code, as Twisted's `DeferredLock`: one holder at a
 * time; `acquire()` fires with the lock when it is this caller's turn.
 *
 * @example
 * ```ts
 * const lock = new DeferredLock();
 * const held = await lock.acquire();
 * try { await critical(); } finally { held.release(); }
 * // or: await lock.run(critical);
 * ```
 */
export class DeferredLock extends ConcurrencyPrimitive {
  constructor() {
    super(1);
  }

  /** Whether the lock is held (a non-blocking check). */
  get locked(): boolean {
    return this.tokens === 0;
  }
}
