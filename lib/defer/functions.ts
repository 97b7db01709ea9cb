// Tests: tests/defer/deferred.test.ts
import { Failure } from '../failure/index.js';
import { Deferred } from './deferred.js';
import { isThenable } from './thenable.js';

/**
 * A Deferred already fired with `value`.
 *
 * @example
 * ```ts
 * succeed(1).addCallback((n) => n + 1); // runs at once
 * ```
 */
export function succeed<T>(value: T): Deferred<T> {
  const d = new Deferred<T>();
  d.callback(value);
  return d;
}

/**
 * A Deferred already failed with `error` (wrapped in a {@link Failure}
 * unless it is one).
 */
export function fail<T = never>(error?: unknown): Deferred<T> {
  const d = new Deferred<T>();
  d.errback(error);
  return d;
}

/**
 * Call `fn(...args)` and return its result as a Deferred: a thrown error (or
 * a returned `Failure`) fails it, a returned Deferred is returned as is, a
 * returned thenable is followed, anything else succeeds at once.
 *
 * @example
 * ```ts
 * maybeDeferred(JSON.parse, text).addErrback((f) => f.trap(SyntaxError));
 * ```
 */
export function maybeDeferred<T, A extends unknown[]>(
  fn: (...args: A) => T | PromiseLike<T>,
  ...args: A
): Deferred<T> {
  let result: T | PromiseLike<T>;
  try {
    result = fn(...args);
  } catch (error) {
    return fail(error);
  }
  if (result instanceof Deferred) return result;
  if (result instanceof Failure) return fail(result);
  if (isThenable(result)) return Deferred.fromPromise(result);
  return succeed(result as T);
}

/**
 * A Deferred for `promiseOrDeferred`: a Deferred is returned as is, a
 * Promise or other thenable is wrapped with {@link Deferred.fromPromise}.
 * Anything else is a `TypeError` (as Twisted's `NotACoroutineError`).
 */
export function ensureDeferred<T>(promiseOrDeferred: PromiseLike<T> | Deferred<T>): Deferred<T> {
  if (promiseOrDeferred instanceof Deferred) return promiseOrDeferred;
  if (isThenable(promiseOrDeferred)) return Deferred.fromPromise(promiseOrDeferred);
  throw new TypeError(`${String(promiseOrDeferred)} is not a Promise, thenable or Deferred`);
}
