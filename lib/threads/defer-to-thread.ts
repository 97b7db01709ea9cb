// Tests: tests/threads/defer-to-thread.test.ts
import { cancelOnSignal, type Deferred, type SignalOptions } from '../defer/index.js';
import type { IReactorTime } from '../time/index.js';
import type { ThreadTask } from './task.js';
import { ThreadPool } from './thread-pool.js';

let defaultPool: ThreadPool | undefined;

/**
 * The shared pool `deferToThread` uses (as Twisted's
 * `reactor.getThreadPool()`): created and started on first use, with at
 * most 10 workers. Its idle workers never keep the process alive, so a
 * script that used it exits by itself; `stop()` it to end them sooner.
 */
export function getThreadPool(): ThreadPool {
  if (defaultPool === undefined) defaultPool = new ThreadPool({ minThreads: 0, maxThreads: 10 });
  defaultPool.start();
  return defaultPool;
}

/**
 * Run `task(...args)` on `pool` (as Twisted's `deferToThreadPool`); the same
 * as `pool.run(task, ...args)`. Twisted's argument order, with a reactor
 * first, is accepted too (the reactor is not needed and is ignored).
 *
 * @example
 * ```ts
 * const d = deferToThreadPool(pool, (s: string) => s.toUpperCase(), 'abc');
 * ```
 */
export function deferToThreadPool<A extends unknown[], R>(
  pool: ThreadPool,
  task: ThreadTask<A, R>,
  ...args: A
): Deferred<Awaited<R>>;
export function deferToThreadPool<A extends unknown[], R>(
  reactor: IReactorTime,
  pool: ThreadPool,
  task: ThreadTask<A, R>,
  ...args: A
): Deferred<Awaited<R>>;
export function deferToThreadPool(...all: unknown[]): Deferred<unknown> {
  const rest = all[0] instanceof ThreadPool ? all : all.slice(1);
  const [pool, task, ...args] = rest as [ThreadPool, ThreadTask, ...unknown[]];
  return pool.run(task, ...args);
}

/**
 * Run `task(...args)` in a worker thread of the shared pool and get a
 * cancellable {@link Deferred} of its result. `task` is a self-contained
 * function (sent as source: it must not use outer variables) or
 * `{module, name}` naming an exported function of an ES module.
 * Cancelling a running task terminates its worker.
 *
 * The `{ signal }` options, when given, come first (the task takes the rest
 * of the arguments): aborting the signal drops the queued task or
 * terminates its worker, and the Deferred fails with an `AbortError`; the
 * listener is removed once it settles.
 *
 * @example
 * ```ts
 * const sum = await deferToThread((limit: number) => {
 *   let total = 0; // everything the function uses is defined inside it or passed in
 *   for (let i = 0; i < limit; i++) total += i;
 *   return total;
 * }, 1e8);
 * const digest = await deferToThread({ module: new URL('./work.mjs', import.meta.url), name: 'digest' }, bytes);
 * const late = await deferToThread({ signal: AbortSignal.timeout(5000) }, slowTask, input);
 * ```
 */
export function deferToThread<A extends unknown[], R>(
  task: ThreadTask<A, R>,
  ...args: A
): Deferred<Awaited<R>>;
/** Run the export `name` of the ES module `module` with `args` in the shared pool. */
export function deferToThread<R = unknown>(
  module: string | URL,
  name: string,
  ...args: unknown[]
): Deferred<R>;
/** The same, abortable through `options.signal`. */
export function deferToThread<A extends unknown[], R>(
  options: SignalOptions,
  task: ThreadTask<A, R>,
  ...args: A
): Deferred<Awaited<R>>;
/** The module form, abortable through `options.signal`. */
export function deferToThread<R = unknown>(
  options: SignalOptions,
  module: string | URL,
  name: string,
  ...args: unknown[]
): Deferred<R>;
export function deferToThread(...all: unknown[]): Deferred<unknown> {
  const [options, task, ...args] = (isSignalOptions(all[0]) ? all : [{}, ...all]) as [
    SignalOptions,
    string,
    ...unknown[],
  ];
  return cancelOnSignal(getThreadPool().run(task, ...(args as [string])), options.signal);
}

/** Whether a first argument is `{ signal }` options rather than a task. */
function isSignalOptions(value: unknown): value is SignalOptions {
  return (
    typeof value === 'object' && value !== null && !(value instanceof URL) && !('module' in value)
  );
}
