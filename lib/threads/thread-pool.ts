// Tests: tests/threads/thread-pool.test.ts
import { createRequire } from 'node:module';
import type { Piscina } from 'piscina';
import { Deferred, fail } from '../defer/index.js';
import type { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import { type ErrorDescription, reviveError, workerFailure } from './errors.js';
import { type ThreadTask, taskMessage } from './task.js';
import { workerModuleURL } from './worker-script.js';

/** Options of a {@link ThreadPool}. */
export interface ThreadPoolOptions {
  /** Workers kept alive even when idle (default 0). */
  minThreads?: number;
  /** Most workers running at once; further tasks queue (default 20, as Twisted's `maxthreads`). */
  maxThreads?: number;
  /** Seconds an idle worker above `minThreads` lives before it exits (default 10). */
  idleTimeout?: number;
}

const log = new Logger('woven.threads.pool');

const require = createRequire(import.meta.url);

/** The `Piscina` class, loaded when a pool first starts rather than when woven is imported. */
function piscinaClass(): typeof Piscina {
  return (require('piscina') as typeof import('piscina')).Piscina;
}

type Reply = { ok: true; value: unknown } | { ok: false; error: ErrorDescription };

interface StartWaiter {
  resume(pool: Piscina): void;
}

/**
 * A pool of worker threads (on piscina) that runs tasks and hands back
 * their results as {@link Deferred}s, as Twisted's `ThreadPool` with
 * `deferToThreadPool`. Tasks run before `start()` wait for it.
 *
 * Cancelling a task's Deferred removes a queued task from the queue; a
 * running task's worker is **terminated** (JavaScript cannot interrupt a
 * running function any other way), and the Deferred fails with
 * `CancelledError`. A fresh worker replaces it when needed.
 *
 * Idle workers do not keep the process alive.
 *
 * @example
 * ```ts
 * const pool = new ThreadPool({ maxThreads: 4 });
 * pool.start();
 * const sum = await pool.run((n: number) => { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }, 1e8);
 * const hash = await pool.run({ module: new URL('./tasks.mjs', import.meta.url), name: 'hash' }, data);
 * await pool.stop();
 * ```
 */
export class ThreadPool {
  /** Workers kept alive even when idle. */
  readonly min: number;
  /** Most workers running at once. */
  readonly max: number;
  readonly #idleTimeout: number;
  #pool: Piscina | undefined;
  readonly #waiters = new Set<StartWaiter>();
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: ThreadPoolOptions = {}) {
    const { minThreads = 0, maxThreads = 20, idleTimeout = 10 } = options;
    if (!Number.isInteger(minThreads) || minThreads < 0)
      throw new RangeError(`minThreads must be a non-negative integer, not ${minThreads}`);
    if (!Number.isInteger(maxThreads) || maxThreads < 1)
      throw new RangeError(`maxThreads must be a positive integer, not ${maxThreads}`);
    if (minThreads > maxThreads)
      throw new RangeError(`minThreads (${minThreads}) exceeds maxThreads (${maxThreads})`);
    if (!(idleTimeout >= 0))
      throw new RangeError(
        `idleTimeout must be a non-negative number of seconds, not ${idleTimeout}`,
      );
    this.min = minThreads;
    this.max = maxThreads;
    this.#idleTimeout = idleTimeout;
  }

  /** Whether the pool is started (between `start()` and `stop()`). */
  get started(): boolean {
    return this.#pool !== undefined;
  }

  /** Start the pool: create its `min` workers and run the tasks waiting for it. Idempotent. */
  start(): void {
    if (this.#pool !== undefined) return;
    const PiscinaPool = piscinaClass();
    const pool = new PiscinaPool({
      filename: workerModuleURL(),
      minThreads: this.min,
      maxThreads: this.max,
      idleTimeout: Number.isFinite(this.#idleTimeout)
        ? this.#idleTimeout * 1000
        : Number.POSITIVE_INFINITY,
      maxQueue: Number.POSITIVE_INFINITY,
    });
    this.#pool = pool;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) waiter.resume(pool);
  }

  /**
   * Stop the pool: accept no new tasks into this run, let queued and
   * running ones finish, then end the workers. Resolves once they are gone.
   * The pool may be started again afterwards.
   */
  async stop(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    if (pool === undefined) return;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    await pool.destroy();
  }

  /**
   * Run `task(...args)` in a worker (or `(module, name, ...args)`: the
   * export `name` of an ES module); the Deferred fires with its (awaited)
   * result or fails with the error it threw (its `name`, `message`, `stack`
   * and `code` carried over). Cancel it to drop or terminate the task.
   *
   * @example
   * ```ts
   * const d = pool.run((a: number, b: number) => a + b, 2, 3);
   * d.addCallback((n) => console.log(n)); // 5
   * ```
   */
  run<A extends unknown[], R>(task: ThreadTask<A, R>, ...args: A): Deferred<Awaited<R>>;
  /** Run the export `name` of the ES module `module` with `args`. */
  run<R = unknown>(module: string | URL, name: string, ...args: unknown[]): Deferred<R>;
  run<R>(task: ThreadTask | string | URL, ...args: unknown[]): Deferred<R> {
    let message: ReturnType<typeof taskMessage>;
    try {
      message = taskMessage(task, args);
    } catch (error) {
      return fail(error);
    }
    return Deferred.fromAsync<R>(async (signal): Promise<R> => {
      const pool = this.#pool ?? (await this.#whenStarted(signal));
      const reply: Reply = await this.#track(pool.run(message, { signal })).catch(
        (reason: unknown) => {
          throw workerFailure(reason);
        },
      );
      if (!reply.ok) throw reviveError(reply.error);
      return reply.value as R;
    });
  }

  /**
   * Run `task(...args)` and ignore its result, as Twisted's `callInThread`;
   * an error it throws is logged (namespace `woven.threads.pool`).
   */
  callInThread<A extends unknown[], R>(task: ThreadTask<A, R>, ...args: A): void {
    this.run(task, ...args).addErrback((failure: Failure) => {
      log.failure('Unhandled error in thread task', failure);
    });
  }

  /**
   * Run `task(...args)` and call `onResult(true, result)` or
   * `onResult(false, failure)`, as Twisted's `callInThreadWithCallback`.
   * `onResult` runs on this thread (the only one JavaScript code here can
   * touch); an error it throws is logged.
   */
  callInThreadWithCallback<A extends unknown[], R>(
    onResult: (success: boolean, result: Awaited<R> | Failure) => void,
    task: ThreadTask<A, R>,
    ...args: A
  ): void {
    this.run(task, ...args)
      .addCallbacks(
        (value) => onResult(true, value),
        (failure: Failure) => onResult(false, failure),
      )
      .addErrback((failure: Failure) => {
        log.failure('onResult failed in callInThreadWithCallback', failure);
      });
  }

  async #track<T>(task: Promise<T>): Promise<T> {
    this.#inFlight.add(task);
    try {
      return await task;
    } finally {
      this.#inFlight.delete(task);
    }
  }

  #whenStarted(signal: AbortSignal): Promise<Piscina> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters.delete(waiter);
        reject(signal.reason);
      };
      const waiter: StartWaiter = {
        resume(pool) {
          signal.removeEventListener('abort', onAbort);
          resolve(pool);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }
}
