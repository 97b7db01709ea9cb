// Tests: tests/endpoints/signals.test.ts
import { AbortError } from '../defer/index.js';

const noop = (): void => {};

/**
 * Run `start()` and settle with its outcome, unless `signal` aborts first:
 * then reject at once with an `AbortError` (`cause`: the signal's reason),
 * as Node's own APIs do, and hand a result that still arrives to `discard`
 * (to release it: close the port, the connection). An already aborted signal
 * rejects without calling `start`. The abort listener is removed on every
 * exit path.
 */
export function abortable<T>(
  signal: AbortSignal | undefined,
  start: () => PromiseLike<T>,
  discard: (late: T) => unknown = noop,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(AbortError.fromSignal(signal));
  let work: PromiseLike<T>;
  try {
    work = start();
  } catch (error) {
    return Promise.reject(error);
  }
  if (signal === undefined) return Promise.resolve(work);
  return new Promise<T>((resolve, reject) => {
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      reject(AbortError.fromSignal(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (aborted) Promise.resolve(value).then(discard).catch(noop);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!aborted) reject(error);
      },
    );
  });
}
