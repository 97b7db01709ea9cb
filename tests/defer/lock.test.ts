import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  Deferred,
  DeferredLock,
  type Failure,
  NotLockedError,
} from '../../lib/index.js';
import { failureResultOf } from '../helpers.js';

describe('DeferredLock', () => {
  it('gives the lock at once when free, and to waiters in order on release', () => {
    const lock = new DeferredLock();
    const order: string[] = [];
    lock.acquire().addCallback((l) => {
      expect(l).toBe(lock);
      order.push('a');
    });
    expect(lock.locked).toBe(true);
    expect(order).toEqual(['a']);
    lock.acquire().addCallback(() => {
      order.push('b');
    });
    lock.acquire().addCallback(() => {
      order.push('c');
    });
    expect(order).toEqual(['a']);
    expect(lock.waiting).toHaveLength(2);
    lock.release();
    expect(lock.locked).toBe(true);
    expect(order).toEqual(['a', 'b']);
    lock.release();
    expect(order).toEqual(['a', 'b', 'c']);
    lock.release();
    expect(lock.locked).toBe(false);
    expect(lock.waiting).toEqual([]);
  });

  it('throws NotLockedError on release when not locked', () => {
    const lock = new DeferredLock();
    expect(() => lock.release()).toThrow(NotLockedError);
    lock.acquire();
    lock.release();
    let thrown: unknown;
    try {
      lock.release();
    } catch (e) {
      thrown = e;
    }
    expect((thrown as NotLockedError).code).toBe('ERR_NOT_LOCKED');
    expect(lock.locked).toBe(false);
  });

  it('serves the remaining waiters in order after cancels at the head, middle and tail', () => {
    const lock = new DeferredLock();
    lock.acquire();
    const served: number[] = [];
    const waiters = Array.from({ length: 7 }, (_, i) =>
      lock.acquire().addCallbacks(
        () => {
          served.push(i);
        },
        () => undefined,
      ),
    );
    for (const i of [0, 3, 6]) waiters[i]!.cancel();
    waiters[4]!.cancel();
    expect(lock.waiting).toHaveLength(3);
    for (let i = 0; i < 3; i++) lock.release();
    expect(served).toEqual([1, 2, 5]);
    lock.release();
    expect(lock.locked).toBe(false);
    // a lock emptied that way still queues new waiters
    lock.acquire();
    const late = lock.acquire();
    expect(lock.waiting).toEqual([late]);
  });

  describe('run', () => {
    it('throws TypeError without a function', () => {
      const lock = new DeferredLock();
      expect(() => (lock.run as unknown as () => void)()).toThrow(TypeError);
      expect(lock.locked).toBe(false);
    });

    it('calls fn at once when free and releases when its Deferred fires', () => {
      const lock = new DeferredLock();
      const control = new Deferred<string>();
      let arg: unknown;
      const result = lock.run((x: string) => {
        arg = x;
        return control;
      }, 'first');
      expect(lock.locked).toBe(true);
      expect(arg).toBe('first');
      const seen: unknown[] = [];
      result.addCallback((r) => {
        seen.push(r);
      });
      let acquiredAfter = false;
      lock.acquire().addCallback(() => {
        acquiredAfter = true;
      });
      expect(acquiredAfter).toBe(false);
      control.callback('second');
      expect(seen).toEqual(['second']);
      expect(acquiredAfter).toBe(true);
      expect(lock.locked).toBe(true);
      lock.release();
      expect(lock.locked).toBe(false);
    });

    it('releases and fails when fn throws', () => {
      const lock = new DeferredLock();
      const failures: Failure[] = [];
      lock
        .run(() => {
          throw new RangeError('bad');
        })
        .addErrback((f: Failure) => {
          failures.push(f);
        });
      expect(failures.map((f) => f.value)).toEqual([new RangeError('bad')]);
      expect(lock.locked).toBe(false);
    });

    it('waits for the lock before calling fn, and follows a returned Promise', async () => {
      const lock = new DeferredLock();
      await lock.acquire();
      let called = false;
      const result = lock.run(async (n: number) => {
        called = true;
        return n * 2;
      }, 21);
      expect(called).toBe(false);
      lock.release();
      expect(called).toBe(true);
      expect(await result).toBe(42);
      expect(lock.locked).toBe(false);
    });

    it('never calls fn when cancelled while waiting', () => {
      const lock = new DeferredLock();
      lock.acquire();
      let called = false;
      const result = lock.run(() => {
        called = true;
      });
      result.cancel();
      const failures: Failure[] = [];
      result.addErrback((f: Failure) => {
        failures.push(f);
      });
      expect(failures[0]!.check(CancelledError)).toBe(CancelledError);
      lock.release();
      expect(called).toBe(false);
      expect(lock.locked).toBe(false);
    });

    it('when cancelled while a returned Promise runs, stops waiting but holds the lock until it settles', async () => {
      const lock = new DeferredLock();
      let finish: () => void = () => {};
      const work = new Promise<string>((resolve) => {
        finish = () => resolve('done');
      });
      const result = lock.run(() => work);
      result.cancel();
      expect(failureResultOf(result).value).toBeInstanceOf(CancelledError);
      expect(lock.locked).toBe(true);
      finish();
      await work;
      await Promise.resolve();
      expect(lock.locked).toBe(false);
    });

    it('when cancelled while a returned Deferred is pending, cancels it and releases', () => {
      const lock = new DeferredLock();
      let innerCancelled = false;
      const inner = new Deferred<string>(() => {
        innerCancelled = true;
      });
      const result = lock.run(() => inner);
      result.cancel();
      expect(innerCancelled).toBe(true);
      expect(lock.locked).toBe(false);
      expect(failureResultOf(result).value).toBeInstanceOf(CancelledError);
    });
  });

  describe('cancel', () => {
    it('does nothing to an acquire that already has the lock', () => {
      const lock = new DeferredLock();
      const d = lock.acquire();
      let errbacks = 0;
      d.addErrback(() => {
        errbacks += 1;
      });
      d.cancel();
      expect(errbacks).toBe(0);
      expect(lock.locked).toBe(true);
    });

    it('fails a waiting acquire with CancelledError and removes it from the waiting list', () => {
      const lock = new DeferredLock();
      lock.acquire();
      const d = lock.acquire();
      const after = lock.acquire();
      expect(lock.waiting).toEqual([d, after]);
      d.cancel();
      const failures: Failure[] = [];
      d.addErrback((f: Failure) => {
        failures.push(f);
      });
      expect(failures).toHaveLength(1);
      expect(failures[0]!.check(CancelledError)).toBe(CancelledError);
      expect(lock.waiting).toEqual([after]);
      let gotIt = false;
      after.addCallback(() => {
        gotIt = true;
      });
      lock.release();
      expect(gotIt).toBe(true);
      lock.release();
      expect(lock.locked).toBe(false);
    });
  });
});
