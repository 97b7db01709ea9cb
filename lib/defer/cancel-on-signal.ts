// Tests: tests/defer/abort.test.ts
import type { Deferred } from './deferred.js';
import { ensureDeferred } from './functions.js';

/**
 * The options of an asynchronous operation that can be aborted, as Node's
 * APIs take them: aborting `signal` makes the operation fail with an
 * {@link AbortError} (`cause`: the signal's reason).
 */
export interface SignalOptions {
  /** Aborting it cancels the operation; its listener is removed once the operation settles. */
  signal?: AbortSignal;
}

/**
 * The one way woven turns a `{ signal }` option into a cancellation: the
 * operation, as a Deferred, cancelled when `signal` aborts (at once if it
 * already has) and failing then with an {@link AbortError} whose `cause` is
 * `signal.reason`; the listener is removed when the operation settles.
 * Without a signal the operation is returned as a Deferred, untouched. A
 * Promise cannot be cancelled: the Deferred then stops waiting for it.
 *
 * @example
 * ```ts
 * function get(queue: DeferredQueue<string>, { signal }: { signal?: AbortSignal } = {}) {
 *   return cancelOnSignal(queue.get(), signal);
 * }
 * ```
 */
export function cancelOnSignal<T>(
  operation: Deferred<T> | PromiseLike<T>,
  signal: AbortSignal | undefined,
): Deferred<T> {
  const d = ensureDeferred(operation);
  return signal === undefined ? d : d.cancelOn(signal);
}
