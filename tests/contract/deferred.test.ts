import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  AlreadyCalledError,
  CancelledError,
  Deferred,
  DeferredList,
  DeferredLock,
  DeferredQueue,
  DeferredSemaphore,
  Failure,
  FailureGroup,
  FirstError,
  fail,
  gatherResults,
  maybeDeferred,
  QueueOverflow,
  QueueUnderflow,
  race,
  succeed,
} from '../../lib/index.js';

/** The current result of a fired Deferred, consumed so nothing is reported as unhandled. */
function outcome<T>(d: Deferred<T>): { ok: boolean; value: unknown } {
  let seen: { ok: boolean; value: unknown } | undefined;
  d.addCallbacks(
    (value) => {
      seen = { ok: true, value };
    },
    (f: Failure) => {
      seen = { ok: false, value: f };
    },
  );
  if (seen === undefined) throw new Error('Deferred has not fired');
  return seen;
}

describe('Deferred firing', () => {
  it('a second callback throws AlreadyCalledError', () => {
    const d = new Deferred<number>();
    d.callback(1);
    expect(() => d.callback(2)).toThrow(AlreadyCalledError);
    expect(() => d.errback(new Error('x'))).toThrow(AlreadyCalledError);
  });

  it('after a cancel with no canceller, one late fire is swallowed', () => {
    const d = new Deferred<number>();
    d.cancel();
    expect(() => d.callback(1)).not.toThrow();
    expect((outcome(d).value as Failure).check(CancelledError)).toBe(CancelledError);
  });

  it('errback wraps a non-Failure reason in a Failure', () => {
    const d = new Deferred<number>();
    const err = new Error('boom');
    d.errback(err);
    const { ok, value } = outcome(d);
    expect(ok).toBe(false);
    expect(value).toBeInstanceOf(Failure);
    expect((value as Failure).value).toBe(err);
  });

  it('callback(failure) with a Failure takes the error path', () => {
    const d = new Deferred<unknown>();
    const f = new Failure(new Error('boom'));
    d.callback(f);
    expect(outcome(d)).toEqual({ ok: false, value: f });
  });

  it('addCallback/addErrback/addBoth/addCallbacks return the same object', () => {
    const d = new Deferred<number>();
    expect(d.addCallback((x) => x)).toBe(d);
    expect(d.addErrback((f) => f)).toBe(d);
    expect(d.addBoth((x) => x)).toBe(d);
    expect(d.addCallbacks((x) => x)).toBe(d);
    d.callback(1);
  });

  it('callbacks run synchronously at fire time and at add time once fired', () => {
    const seen: number[] = [];
    const d = new Deferred<number>();
    d.addCallback((x) => {
      seen.push(x);
      return x + 1;
    });
    d.callback(1);
    expect(seen).toEqual([1]);
    d.addCallback((x) => {
      seen.push(x);
    });
    expect(seen).toEqual([1, 2]);
  });

  it('extra arguments are passed after the result', () => {
    const d = succeed(1).addCallback((x: number, a: number, b: number) => x + a + b, 2, 3);
    expect(outcome(d).value).toBe(6);
    const e = fail(new Error('x')).addErrback((_f: Failure, tag: string) => tag, 'handled');
    expect(outcome(e).value).toBe('handled');
    const c = succeed(1).addCallbacks((x: number, y: number) => x * y, undefined, {
      callbackArgs: [10],
    });
    expect(outcome(c).value).toBe(10);
  });

  it('a throwing callback or a returned Failure takes the error path; an errback returning a value goes back', () => {
    const err = new Error('thrown');
    const d = succeed(1)
      .addCallback(() => {
        throw err;
      })
      .addErrback((f: Failure) => {
        expect(f).toBeInstanceOf(Failure);
        return 'recovered';
      })
      .addCallback(() => new Failure(new Error('returned')));
    const { ok, value } = outcome(d);
    expect(ok).toBe(false);
    expect(((value as Failure).value as Error).message).toBe('returned');
  });

  it('a callback returning a thenable pauses the chain until it settles', async () => {
    const d = succeed(1).addCallback((x: number) => Promise.resolve(x + 41));
    expect(d.called).toBe(true);
    expect(d.paused).toBeGreaterThan(0);
    expect(await d).toBe(42);
  });

  it('10,000 nested returned Deferreds do not overflow the stack', () => {
    const inner: Deferred<number>[] = [];
    let d = new Deferred<number>();
    const root = d;
    for (let i = 0; i < 10_000; i++) {
      const next = new Deferred<number>();
      inner.push(next);
      d.addCallback(() => next);
      d = next;
    }
    root.callback(0);
    for (let i = inner.length - 1; i >= 0; i--) inner[i].callback(i);
    expect(outcome(root).value).toBe(9999);
  });
});

describe('Deferred cancellation', () => {
  it('calls the canceller, then errbacks with CancelledError if still unfired', () => {
    const calls: unknown[] = [];
    const d = new Deferred<number>((x) => calls.push(x));
    d.cancel();
    expect(calls).toEqual([d]);
    expect((outcome(d).value as Failure).check(CancelledError)).toBe(CancelledError);
  });

  it('cancels the returned Deferred it is waiting on', () => {
    const inner = new Deferred<number>();
    const outer = succeed(1).addCallback(() => inner);
    outer.cancel();
    expect(inner.called).toBe(true);
    expect((outcome(outer).value as Failure).check(CancelledError)).toBe(CancelledError);
  });

  it('waiting on a non-Deferred thenable continues at once with CancelledError', async () => {
    let resolve!: (v: number) => void;
    const d = succeed(1).addCallback(() => new Promise<number>((r) => (resolve = r)));
    d.cancel();
    expect((outcome(d).value as Failure).check(CancelledError)).toBe(CancelledError);
    resolve(5);
    await Promise.resolve();
  });

  it('cancelling a fired Deferred that waits on nothing does nothing', () => {
    const d = succeed(1);
    d.cancel();
    expect(outcome(d)).toEqual({ ok: true, value: 1 });
  });
});

describe('Deferred pause, chaining and timeouts', () => {
  it('pause holds callbacks until unpause', () => {
    const seen: number[] = [];
    const d = new Deferred<number>();
    d.pause();
    expect(d.paused).toBe(1);
    d.addCallback((x) => seen.push(x));
    d.callback(1);
    expect(seen).toEqual([]);
    d.unpause();
    expect(seen).toEqual([1]);
  });

  it('chainDeferred forwards the result to the other Deferred', () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    a.chainDeferred(b);
    a.callback(3);
    expect(outcome(b).value).toBe(3);
  });

  it('result exposes the current result', () => {
    expect(succeed(7).result).toBe(7);
  });
});

describe('Deferred promise interop', () => {
  it('then observes without consuming', async () => {
    const d = new Deferred<number>();
    const seen: number[] = [];
    const p = d.then((x) => seen.push(x));
    d.addCallback((x) => x * 2);
    d.callback(1);
    await p;
    expect(seen).toEqual([1]);
    expect(outcome(d).value).toBe(2);
  });

  it('later callbacks still get the value then observed', async () => {
    const d = new Deferred<number>();
    const p = d.then((x) => x);
    const later: number[] = [];
    d.addCallback((x) => {
      later.push(x);
      return x;
    });
    d.callback(1);
    expect(later).toEqual([1]);
    expect(await p).toBe(1);
  });

  it('then handlers run asynchronously', () => {
    const seen: number[] = [];
    void succeed(1).then((x) => seen.push(x));
    expect(seen).toEqual([]);
  });

  it('a rejection carries the raw error, not the Failure', async () => {
    const err = new Error('raw');
    await expect(fail(err)).rejects.toBe(err);
    await expect(fail(err).asPromise()).rejects.toBe(err);
  });

  it('catch and finally behave as on Promise', async () => {
    const err = new Error('raw');
    expect(await fail(err).catch((e) => e)).toBe(err);
    let ran = false;
    expect(
      await succeed(3).finally(() => {
        ran = true;
      }),
    ).toBe(3);
    expect(ran).toBe(true);
  });

  it('fromPromise: cancel errbacks with CancelledError at once', () => {
    const d = Deferred.fromPromise(new Promise<number>(() => {}));
    d.cancel();
    expect((outcome(d).value as Failure).check(CancelledError)).toBe(CancelledError);
  });

  it('fromAsync calls fn synchronously and cancel aborts its signal, failing with CancelledError', () => {
    let signal: AbortSignal | undefined;
    const d = Deferred.fromAsync((s) => {
      signal = s;
      return new Promise<number>((_r, reject) => s.addEventListener('abort', () => reject(7)));
    });
    expect(signal).toBeDefined();
    d.cancel();
    expect(signal?.aborted).toBe(true);
    expect((outcome(d).value as Failure).check(CancelledError)).toBe(CancelledError);
  });

  it('cancelOn cancels on abort and removes its listener when fired', () => {
    const ac = new AbortController();
    const d = new Deferred<number>().cancelOn(ac.signal);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    d.callback(1);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);

    const e = new Deferred<number>().cancelOn(ac.signal);
    ac.abort();
    expect((outcome(e).value as Failure).check(CancelledError)).toBe(CancelledError);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('cancelOn an already aborted signal cancels at once', () => {
    const d = new Deferred<number>().cancelOn(AbortSignal.abort());
    expect((outcome(d).value as Failure).check(CancelledError)).toBe(CancelledError);
  });
});

describe('Failure', () => {
  it('keeps whatever was thrown, undefined included; type is undefined for a non-object', () => {
    const f = new Failure(undefined);
    expect(f.value).toBeUndefined();
    expect(f.type).toBeUndefined();
    expect(new Failure(new RangeError('r')).type).toBe(RangeError);
  });

  it('trap returns the matching type or rethrows this same Failure; check returns null', () => {
    const f = new Failure(new RangeError('r'));
    expect(f.trap(TypeError, RangeError)).toBe(RangeError);
    expect(f.check(TypeError)).toBeNull();
    let thrown: unknown;
    try {
      f.trap(TypeError);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(f);
  });

  it('getErrorMessage, getTraceback and raiseException', () => {
    const err = new Error('msg');
    const f = new Failure(err);
    expect(f.getErrorMessage()).toBe('msg');
    expect(typeof f.getTraceback()).toBe('string');
    expect(() => f.raiseException()).toThrow(err);
  });
});

describe('Deferred functions', () => {
  it('maybeDeferred: a thrown error fails it; a returned thenable is followed', async () => {
    const err = new Error('t');
    const d = maybeDeferred(() => {
      throw err;
    });
    expect((outcome(d).value as Failure).value).toBe(err);
    expect(await maybeDeferred(async (x: number) => x + 1, 1)).toBe(2);
  });

  it('gatherResults fails with FirstError {failure, index}; cancelling it cancels all', () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const g = gatherResults([a, b], { consumeErrors: true });
    b.errback(new Error('second'));
    const f = outcome(g).value as Failure;
    expect(f.value).toBeInstanceOf(FirstError);
    expect((f.value as FirstError).index).toBe(1);
    expect((f.value as FirstError).failure).toBeInstanceOf(Failure);
    a.callback(1);

    const c = new Deferred<number>();
    const d = new Deferred<number>();
    const h = gatherResults([c, d]);
    h.cancel();
    expect(c.called && d.called).toBe(true);
    outcome(h);
  });

  it('DeferredList fires with [success, result] pairs, or [result, index] for fireOnOneCallback', () => {
    const dl = new DeferredList([succeed(1), fail(new Error('x'))], { consumeErrors: true });
    const entries = outcome(dl).value as [boolean, unknown][];
    expect(entries[0]).toEqual([true, 1]);
    expect(entries[1][0]).toBe(false);
    expect(entries[1][1]).toBeInstanceOf(Failure);

    const first = new DeferredList([new Deferred(), succeed('b')], { fireOnOneCallback: true });
    expect(outcome(first).value).toEqual(['b', 1]);
  });

  it('race fires with [index, value] and cancels the others; all failing gives FailureGroup', () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const r = race([a, b]);
    b.callback(9);
    expect(outcome(r).value).toEqual([1, 9]);
    expect(a.called).toBe(true);

    const all = race([fail(new Error('1')), fail(new Error('2'))]);
    const f = outcome(all).value as Failure;
    expect(f.value).toBeInstanceOf(FailureGroup);
    expect((f.value as FailureGroup).failures).toHaveLength(2);
  });
});

describe('Concurrency primitives', () => {
  it('DeferredLock: acquire fires with the lock; run releases; a cancelled acquire leaves the queue', () => {
    const lock = new DeferredLock();
    expect(outcome(lock.acquire()).value).toBe(lock);
    expect(lock.locked).toBe(true);
    const waiting = lock.acquire();
    waiting.cancel();
    outcome(waiting);
    lock.release();
    expect(lock.locked).toBe(false);
    expect(outcome(lock.run((x: number) => x * 2, 4)).value).toBe(8);
    expect(lock.locked).toBe(false);
  });

  it('DeferredSemaphore exposes tokens and limit', () => {
    const sem = new DeferredSemaphore(2);
    expect(sem.limit).toBe(2);
    outcome(sem.acquire());
    expect(sem.tokens).toBe(1);
    sem.release();
    expect(sem.tokens).toBe(2);
  });

  it('DeferredQueue: put past size throws QueueOverflow; get past backlog throws QueueUnderflow', () => {
    const q = new DeferredQueue<number>({ size: 1, backlog: 1 });
    q.put(1);
    expect(() => q.put(2)).toThrow(QueueOverflow);
    expect(outcome(q.get()).value).toBe(1);
    const pending = q.get();
    expect(() => q.get()).toThrow(QueueUnderflow);
    pending.cancel();
    outcome(pending);
    q.put(3);
    expect(outcome(q.get()).value).toBe(3);
  });

  it('DeferredQueue is an async iterable; breaking out cancels its pending get', async () => {
    const q = new DeferredQueue<number>({ backlog: 1 });
    q.put(1);
    const seen: number[] = [];
    for await (const v of q) {
      seen.push(v);
      break;
    }
    const iter = q[Symbol.asyncIterator]();
    const next = iter.next();
    await iter.return?.();
    void next.catch(() => {});
    expect(seen).toEqual([1]);
    // the pending get left the queue, so the backlog of one is free again
    const again = q.get();
    again.cancel();
    outcome(again);
  });
});
