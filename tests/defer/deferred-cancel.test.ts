import { describe, expect, it } from 'vitest';
import {
  AlreadyCalledError,
  CancelledError,
  Clock,
  Deferred,
  type Failure,
  succeed,
  TimeoutError,
} from '../../lib/index.js';
import { failureOf, abortListeners } from '../helpers.js';

describe('cancel without a canceller', () => {
  it('swallows one late callback, then raises AlreadyCalledError', () => {
    const d = new Deferred<number>();
    d.cancel();
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
    d.callback(1);
    expect(() => d.callback(2)).toThrow(AlreadyCalledError);
  });

  it('swallows one late errback too', () => {
    const d = new Deferred<number>();
    d.cancel();
    failureOf(d);
    d.errback(new Error('late'));
    expect(() => d.errback(new Error('later'))).toThrow(AlreadyCalledError);
  });

  it('cancelling twice does nothing more', () => {
    const d = new Deferred<number>();
    d.cancel();
    d.cancel();
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
  });
});

describe('cancel with a canceller', () => {
  it('calls the canceller once only', () => {
    let calls = 0;
    const d = new Deferred<number>(() => calls++);
    d.cancel();
    d.cancel();
    expect(calls).toBe(1);
    failureOf(d);
  });

  it('does not swallow a late callback', () => {
    const d = new Deferred<number>(() => undefined);
    d.cancel();
    failureOf(d);
    expect(() => d.callback(1)).toThrow(AlreadyCalledError);
  });

  it('a canceller that errbacks decides the failure', () => {
    const d = new Deferred<number>((x) => x.errback(new RangeError('mine')));
    d.cancel();
    expect(failureOf(d)?.value).toBeInstanceOf(RangeError);
  });

  it('cancel after callback or errback does nothing', () => {
    let calls = 0;
    const d = new Deferred<number>(() => calls++);
    d.callback(1);
    d.cancel();
    const e = new Deferred<number>(() => calls++);
    e.errback(new Error());
    e.cancel();
    failureOf(e);
    expect(calls).toBe(0);
    expect(d.result).toBe(1);
  });
});

describe('cancel while waiting', () => {
  it('cancels the returned Deferred being waited on (test_cancelNestedDeferred)', () => {
    let innerCancelled = 0;
    const inner = new Deferred<number>(() => innerCancelled++);
    const outer = succeed(1).addCallback(() => inner);
    outer.cancel();
    expect(innerCancelled).toBe(1);
    expect(failureOf(outer)?.value).toBeInstanceOf(CancelledError);
  });

  it('waiting on a non-Deferred thenable continues at once with CancelledError and ignores its settlement', async () => {
    let resolve!: (v: number) => void;
    const p = new Promise<number>((r) => {
      resolve = r;
    });
    const d = succeed(1).addCallback(() => p);
    const after: unknown[] = [];
    d.addBoth((r) => {
      after.push(r);
      return null;
    });
    d.cancel();
    expect(after).toHaveLength(1);
    expect((after[0] as Failure).value).toBeInstanceOf(CancelledError);
    resolve(5);
    await p;
    await Promise.resolve();
    expect(after).toHaveLength(1);
    expect(d.result).toBeNull();
  });

  it('a user-paused Deferred with a result is not affected by cancel', () => {
    const d = succeed(1);
    d.pause();
    d.cancel();
    d.unpause();
    expect(d.result).toBe(1);
  });
});

describe('addTimeout', () => {
  it('fails with TimeoutError when the time runs out', () => {
    const clock = new Clock();
    const d = new Deferred<number>().addTimeout(10, clock);
    clock.advance(9.9);
    expect(d.called).toBe(false);
    clock.advance(0.1);
    expect(failureOf(d)?.value).toBeInstanceOf(TimeoutError);
  });

  it('a result before the timeout passes through and cancels the timer', () => {
    const clock = new Clock();
    const d = new Deferred<number>().addTimeout(10, clock);
    d.callback(3);
    expect(d.result).toBe(3);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('a failure before the timeout passes through unchanged', () => {
    const clock = new Clock();
    const d = new Deferred<number>().addTimeout(10, clock);
    const err = new RangeError('early');
    d.errback(err);
    expect(failureOf(d)?.value).toBe(err);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('returns the same Deferred so it chains', () => {
    const d = new Deferred<number>();
    expect(d.addTimeout(1, new Clock())).toBe(d);
    d.callback(1);
  });

  it('a cancel before the timeout stays a CancelledError', () => {
    const clock = new Clock();
    const d = new Deferred<number>().addTimeout(10, clock);
    d.cancel();
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('onTimeoutCancel decides the outcome of a timeout', () => {
    const clock = new Clock();
    const calls: unknown[] = [];
    const d = new Deferred<number>().addTimeout(5, clock, (r, s) => {
      calls.push([(r as Failure).value instanceof CancelledError, s]);
      return 'timed out';
    });
    clock.advance(5);
    expect(calls).toEqual([[true, 5]]);
    expect(d.result).toBe('timed out');
  });

  it('onTimeoutCancel is not called when the result comes first', () => {
    const clock = new Clock();
    let calls = 0;
    const d = new Deferred<number>().addTimeout(5, clock, () => calls++);
    d.callback(1);
    clock.advance(10);
    expect(calls).toBe(0);
    expect(d.result).toBe(1);
  });

  it('a canceller that callbacks on timeout gives a result, not a TimeoutError', () => {
    const clock = new Clock();
    const d = new Deferred<string>((x) => x.callback('cancelled')).addTimeout(1, clock);
    clock.advance(1);
    expect(d.result).toBe('cancelled');
  });

  it('an errback added before the timeout sees the CancelledError and can suppress it', () => {
    const clock = new Clock();
    const d = new Deferred<string>();
    const seen: unknown[] = [];
    d.addErrback((f) => {
      seen.push(f.value);
      return 'suppressed';
    });
    d.addTimeout(1, clock);
    clock.advance(1);
    expect(seen[0]).toBeInstanceOf(CancelledError);
    expect(d.result).toBe('suppressed');
  });
});

describe('cancelOn', () => {
  it('cancels when the signal aborts and removes its listener', () => {
    const ac = new AbortController();
    const d = new Deferred<number>().cancelOn(ac.signal);
    expect(abortListeners(ac.signal)).toBe(1);
    ac.abort();
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
    expect(abortListeners(ac.signal)).toBe(0);
  });

  it('removes its listener when the Deferred fires first', () => {
    const ac = new AbortController();
    const d = new Deferred<number>().cancelOn(ac.signal);
    d.callback(1);
    expect(abortListeners(ac.signal)).toBe(0);
    ac.abort();
    expect(d.result).toBe(1);
  });

  it('removes its listener when the Deferred fails first', () => {
    const ac = new AbortController();
    const d = new Deferred<number>().cancelOn(ac.signal);
    d.errback(new Error());
    failureOf(d);
    expect(abortListeners(ac.signal)).toBe(0);
  });

  it('cancels at once for an already aborted signal, adding no listener', () => {
    const signal = AbortSignal.abort();
    const d = new Deferred<number>().cancelOn(signal);
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
    expect(abortListeners(signal)).toBe(0);
  });

  it('returns this', () => {
    const d = new Deferred<number>();
    expect(d.cancelOn(new AbortController().signal)).toBe(d);
    d.callback(0);
  });
});

describe('Deferred.fromPromise and Deferred.fromAsync', () => {
  it('fromPromise follows a fulfilment', async () => {
    const d = Deferred.fromPromise(Promise.resolve(3));
    expect(await d).toBe(3);
  });

  it('fromPromise follows a rejection as a Failure of the raw error', async () => {
    const err = new Error('r');
    const d = Deferred.fromPromise(Promise.reject(err));
    const f = await new Promise<Failure>((resolve) => d.addErrback(resolve));
    expect(f.value).toBe(err);
  });

  it('fromPromise cancel fails at once with CancelledError and ignores the late settlement', async () => {
    let resolve!: (v: number) => void;
    const p = new Promise<number>((r) => {
      resolve = r;
    });
    const d = Deferred.fromPromise(p);
    d.cancel();
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
    resolve(1);
    await p;
    await Promise.resolve();
    expect(d.result).toBeUndefined();
  });

  it('fromPromise returns a Deferred as is', () => {
    const d = new Deferred();
    expect(Deferred.fromPromise(d)).toBe(d);
  });

  it('fromAsync calls fn synchronously with a fresh signal', () => {
    let signal: AbortSignal | undefined;
    const d = Deferred.fromAsync(async (s) => {
      signal = s;
      return 1;
    });
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal?.aborted).toBe(false);
    d.cancel();
    failureOf(d);
  });

  it('fromAsync cancel aborts the signal and fails with CancelledError whatever fn rejects with', async () => {
    let signal!: AbortSignal;
    const d = Deferred.fromAsync(
      (s) =>
        new Promise<number>((_, reject) => {
          signal = s;
          s.addEventListener('abort', () => reject(new RangeError('aborted')));
        }),
    );
    d.cancel();
    expect(signal.aborted).toBe(true);
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
    await Promise.resolve();
  });

  it('fromAsync follows the result of fn', async () => {
    expect(await Deferred.fromAsync(async () => 'ok')).toBe('ok');
  });

  it('fromAsync turns a synchronous throw into a failure', () => {
    const d = Deferred.fromAsync(() => {
      throw new RangeError('sync');
    });
    expect(failureOf(d)?.value).toBeInstanceOf(RangeError);
  });
});

describe('cancel down a long chain', () => {
  it('cancelling the top of 100,000 nested waiting Deferreds cancels the innermost, without overflow', () => {
    const n = 100_000;
    let cancelled = 0;
    const innermost = new Deferred<number>(() => cancelled++);
    let top: Deferred<number> = innermost;
    for (let i = 0; i < n; i++) {
      const inner = top;
      top = succeed(0).addCallback(() => inner);
    }
    top.cancel();
    expect(cancelled).toBe(1);
    expect(failureOf(top)?.value).toBeInstanceOf(CancelledError);
  });
});
