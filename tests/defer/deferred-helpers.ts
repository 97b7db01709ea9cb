import type { Deferred, Failure } from '../../lib/index.js';

/**
 * The Failure `d` holds now (its chain is synchronous), handling it; or
 * `undefined` when `d` has not failed.
 */
export function failureOf(d: Deferred<unknown>): Failure | undefined {
  let got: Failure | undefined;
  d.addErrback((f) => {
    got = f;
  });
  return got;
}
