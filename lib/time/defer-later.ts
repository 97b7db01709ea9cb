import {
  AbortError,
  cancelOnSignal,
  Deferred,
  fail,
  type IReactorTime,
  type SignalOptions,
} from '../defer/index.js';

/**
 * A Deferred that fires, after `delay` seconds on `clock`, with the result of
 * `fn(...args)` (a thrown error fails it; a returned Deferred/Promise is
 * followed), or with `undefined` when no `fn` is given. Cancelling it
 * unschedules the call (it fails with `CancelledError`). As
 * twisted.internet.task.deferLater.
 *
 * The `{ signal }` options, when given, come before `fn` (which takes the
 * rest of the arguments): aborting the signal before the call unschedules it
 * and fails the Deferred with an `AbortError`; the listener is removed once
 * it settles.
 *
 * @example
 * ```ts
 * const d = deferLater(reactor, 1.5, (x: number) => x * 2, 21); // fires with 42
 * await deferLater(reactor, 30, { signal: conn.signal }); // an abortable sleep
 * ```
 */
export function deferLater<T = undefined, A extends unknown[] = []>(
  clock: IReactorTime,
  delay: number,
  fn?: (...args: A) => T | PromiseLike<T>,
  ...args: A
): Deferred<T>;
/** The same, abortable through `options.signal`. */
export function deferLater<T = undefined, A extends unknown[] = []>(
  clock: IReactorTime,
  delay: number,
  options: SignalOptions,
  fn?: (...args: A) => T | PromiseLike<T>,
  ...args: A
): Deferred<T>;
export function deferLater(
  clock: IReactorTime,
  delay: number,
  ...rest: unknown[]
): Deferred<unknown> {
  const [options, fn, ...args] = (
    typeof rest[0] === 'object' && rest[0] !== null ? rest : [{}, ...rest]
  ) as [SignalOptions, ((...a: unknown[]) => unknown) | undefined, ...unknown[]];
  const { signal } = options;
  if (signal?.aborted) return fail(AbortError.fromSignal(signal));
  const d = new Deferred<undefined>(() => call.cancel());
  const call = clock.callLater(delay, () => d.callback(undefined));
  return cancelOnSignal(d, signal).addCallback(() => (fn === undefined ? undefined : fn(...args)));
}
