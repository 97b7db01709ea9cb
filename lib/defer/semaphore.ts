// Tests: tests/defer/semaphore.test.ts
import { ConcurrencyPrimitive } from './lock.js';

/**
 * A semaphore for event-driven code, as Twisted's `DeferredSemaphore`: at
 * most `limit` holders at once; `tokens` is how many more may acquire
 * without waiting. `acquire()`, `release()` and `run()` work as on
 * {@link DeferredLock}.
 *
 * @example
 * ```ts
 * const sem = new DeferredSemaphore(4); // at most 4 downloads at a time
 * const pages = await gatherResults(urls.map((u) => sem.run(download, u)));
 * ```
 */
export class DeferredSemaphore extends ConcurrencyPrimitive {
  /** @param tokens the initial `tokens` and the `limit`: an integer >= 1 (a `RangeError` otherwise). */
  constructor(tokens: number) {
    if (!Number.isInteger(tokens) || tokens < 1) {
      throw new RangeError(`DeferredSemaphore requires an integer tokens >= 1, got ${tokens}`);
    }
    super(tokens);
  }
}
