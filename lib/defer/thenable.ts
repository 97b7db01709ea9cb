// Tests: tests/defer/deferred.test.ts (through maybeDeferred, ensureDeferred)

/**
 * Whether `value` is a thenable: an object or function with a callable
 * `then`. The one check behind `maybeDeferred`, `ensureDeferred`, the locks'
 * `run` and the time area's awaiting of returned promises.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
