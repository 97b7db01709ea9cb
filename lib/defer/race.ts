// Tests: tests/defer/race.test.ts
import type { Failure } from '../failure/index.js';
import { Deferred } from './deferred.js';
import { cancelEach, type DeferredInput } from './deferred-list.js';
import { FailureGroup } from './errors.js';
import { ensureDeferred } from './functions.js';

/**
 * Wait for the first of several Deferreds (or thenables) to succeed, as
 * Twisted's `race`: the result fires with `[index, value]` of the first
 * success and every other input is cancelled. If every input fails, it fails
 * with a {@link FailureGroup} whose `failures` are in input order (an empty
 * input fails at once with an empty group, as `Promise.any([])` rejects).
 * Cancelling the result cancels every input.
 *
 * The inputs' results are consumed: a failed input is never reported as
 * unhandled, and later callbacks on an input see `undefined`.
 *
 * @example
 * ```ts
 * const [index, conn] = await race([connect(primary), connect(backup)]);
 * ```
 */
export function race<D extends DeferredInput<unknown>>(
  deferreds: Iterable<D>,
): Deferred<[index: number, value: Awaited<D>]> {
  type T = Awaited<D>;
  const inputs = Array.from(deferreds, (d) => ensureDeferred(d) as Deferred<T>);
  const failures: (Failure | undefined)[] = new Array(inputs.length).fill(undefined);
  let failed = 0;
  let winner: Deferred<T> | undefined;
  const result = new Deferred<[number, T]>(() => cancelEach(inputs));
  const succeeded = (value: T, index: number): void => {
    // A later success (from a canceller that fires with a value, or an input
    // that had fired but was paused when cancelled) is ignored.
    if (winner !== undefined) return;
    winner = inputs[index];
    cancelEach(inputs, winner);
    result.callback([index, value]);
  };
  const lost = (failure: Failure, index: number): void => {
    failures[index] = failure;
    failed += 1;
    if (failed === inputs.length) result.errback(new FailureGroup(failures as Failure[]));
  };
  if (inputs.length === 0) result.errback(new FailureGroup([]));
  inputs.forEach((d, index) => {
    d.addCallbacks(
      (value: T) => succeeded(value, index),
      (failure: Failure) => lost(failure, index),
    );
  });
  return result;
}
