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
 * const [a, b] = await gatherResults([getA(), getB()]); // typed per element, as Promise.all
 * ```
 */
export function gatherResults<const D extends readonly DeferredInput<unknown>[]>(
  deferreds: D,
  options?: GatherResultsOptions,
): Deferred<{ -readonly [K in keyof D]: Awaited<D[K]> }>;
export function gatherResults<D extends DeferredInput<unknown>>(
  deferreds: Iterable<D>,
  options?: GatherResultsOptions,
): Deferred<Awaited<D>[]>;
export function gatherResults(
  deferreds: Iterable<DeferredInput<unknown>>,
  options: GatherResultsOptions = {},
): Deferred<unknown[]> {
  const list = new DeferredList(deferreds, {
    fireOnOneErrback: true,
    consumeErrors: options.consumeErrors ?? false,
  });
  // With fireOnOneErrback, the list only fires when every entry succeeded.
  return list.addCallback((entries) => entries.map((entry) => entry[1]));
}
