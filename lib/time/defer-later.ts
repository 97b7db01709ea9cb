import { Deferred, type IReactorTime } from '../defer/index.js';

/**
 * A Deferred that fires, after `delay` seconds on `clock`, with the result of
 * `fn(...args)` (a thrown error fails it; a returned Deferred/Promise is
 * followed), or with `undefined` when no `fn` is given. Cancelling it
 * unschedules the call (it fails with `CancelledError`). As
 * twisted.internet.task.deferLater.
 *
 * @example
 * ```ts
 * const d = deferLater(reactor, 1.5, (x: number) => x * 2, 21); // fires with 42
 * ```
 */
export function deferLater<T = undefined, A extends unknown[] = []>(
  clock: IReactorTime,
  delay: number,
  fn?: (...args: A) => T | PromiseLike<T>,
  ...args: A
): Deferred<T> {
  const d = new Deferred<undefined>(() => call.cancel());
  const call = clock.callLater(delay, () => d.callback(undefined));
  return d.addCallback(() => (fn === undefined ? (undefined as T) : fn(...args)));
}
