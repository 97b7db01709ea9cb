// Tests: tests/defer/gather.test.ts
import type { Deferred } from './deferred.js';
import { type DeferredInput, DeferredList } from './deferred-list.js';

/** Options of {@link gatherResults}. */
export interface GatherResultsOptions {
  /**
   * Turn each input's failure into an `undefined` result on that input, so it
   * is not reported as unhandled (the gathered Deferred still fails).
   */
  consumeErrors?: boolean;
}

/**
 * Join several Deferreds (or thenables): a Deferred firing with the list of
 * their results, in input order, once all have succeeded; or failing, as soon
 * as one fails, with a {@link FirstError} holding that input's `failure` and
 * `index`. Cancelling it cancels every input. As Twisted's `gatherResults`.
 *
 * @example
 * ```ts
 * const [a, b] = await gatherResults([getA(), getB()]);
 * ```
 */
export function gatherResults<T>(
  deferreds: Iterable<DeferredInput<T>>,
  options: GatherResultsOptions = {},
): Deferred<T[]> {
  const list = new DeferredList(deferreds, {
    fireOnOneErrback: true,
    consumeErrors: options.consumeErrors ?? false,
  });
  // With fireOnOneErrback, the list only fires when every entry succeeded.
  return list.addCallback((entries) => entries.map((entry) => entry[1] as T));
}
