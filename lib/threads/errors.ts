// Tests: tests/threads/thread-pool.test.ts
import { setErrorName, WovenError } from '../failure/index.js';

/** An error as a worker describes it (see `worker-script.ts`). */
export interface ErrorDescription {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

const builtins: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Rebuild, in this thread, an error thrown by a task in a worker: the
 * built-in class of that name when there is one (so `instanceof TypeError`
 * holds), else an `Error`; with the worker's `name`, `message`, `stack` and
 * string `code`.
 */
export function reviveError(description: ErrorDescription): Error {
  const Ctor = builtins[description.name] ?? Error;
  const error = new Ctor(description.message);
  if (error.name !== description.name) {
    Object.defineProperty(error, 'name', {
      value: description.name,
      writable: true,
      configurable: true,
    });
  }
  if (description.stack !== undefined) error.stack = description.stack;
  if (description.code !== undefined) Object.assign(error, { code: description.code });
  return error;
}

/**
 * A task's worker failed outside the task: it exited or crashed while
 * running it, most often because the task's result could not be
 * structured-cloned (a function, a class instance with methods, ...).
 * `cause` holds what the pool reported.
 *
 * @example
 * ```ts
 * pool.run(() => () => 1).addErrback((f) => f.trap(ThreadWorkerError));
 * ```
 */
export class ThreadWorkerError extends WovenError {
  static {
    setErrorName(this, 'ThreadWorkerError', 'ERR_THREAD_WORKER');
  }
}

/** The error a task's Deferred fails with when the pool itself rejected it with `reason`. */
export function workerFailure(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  return new ThreadWorkerError(
    'the worker thread failed while running the task (is its result structured-cloneable?)',
    { cause: reason },
  );
}
