import { describe, expect, it } from 'vitest';
import {
  AbortError,
  CancelledError,
  Clock,
  DeferredLock,
  DeferredQueue,
  DeferredSemaphore,
  deferLater,
} from '../../lib/index.js';
import { failureResultOf, abortListeners } from '../helpers.js';
import { outcomes } from './outcome-helpers.js';

function expectAbortedBy(d: Parameters<typeof failureResultOf>[0], reason: unknown): void {
  const f = failureResultOf(d, AbortError);
  expect(f.check(CancelledError)).toBe(CancelledError);
  expect((f.value as AbortError).cause).toBe(reason);
}

describe('DeferredQueue.get({ signal })', () => {
  it('an abort fails the waiting get with an AbortError and it leaves the queue', () => {
    const queue = new DeferredQueue<string>();
    const ac = new AbortController();
    const d = queue.get({ signal: ac.signal });
    expect(abortListeners(ac.signal)).toBe(1);
    ac.abort(new Error('bye'));
    expectAbortedBy(d, ac.signal.reason);
    expect(queue.waiting).toHaveLength(0);
    expect(abortListeners(ac.signal)).toBe(0);
    queue.put('kept');
    expect(queue.pending).toEqual(['kept']);
  });

  it('a value removes the listener; an already aborted signal takes no value', () => {
    const queue = new DeferredQueue<string>();
    const ac = new AbortController();
    const d = queue.get({ signal: ac.signal });
    queue.put('x');
    expect(outcomes(d)).toEqual(['x']);
    expect(abortListeners(ac.signal)).toBe(0);
    queue.put('y');
    expectAbortedBy(queue.get({ signal: AbortSignal.abort('late') }), 'late');
    expect(queue.pending).toEqual(['y']);
  });
});

describe.each([
  ['DeferredLock', () => new DeferredLock()],
  ['DeferredSemaphore', () => new DeferredSemaphore(1)],
])('%s.acquire({ signal })', (_name, make) => {
  it('an abort fails the waiting acquire and it leaves the waiting list', () => {
    const lock = make();
    lock.acquire();
    const ac = new AbortController();
    const d = lock.acquire({ signal: ac.signal });
    expect(lock.waiting).toHaveLength(1);
    ac.abort('enough');
    expectAbortedBy(d, 'enough');
    expect(lock.waiting).toHaveLength(0);
    expect(abortListeners(ac.signal)).toBe(0);
    lock.release();
    expect(lock.tokens).toBe(1);
  });

  it('an acquire removes the listener; aborting later keeps the hold', () => {
    const lock = make();
    const ac = new AbortController();
    lock.acquire();
    const d = lock.acquire({ signal: ac.signal });
    lock.release();
    expect(outcomes(d)).toEqual([lock]);
    expect(abortListeners(ac.signal)).toBe(0);
    ac.abort();
    expect(lock.tokens).toBe(0);
  });

  it('an already aborted signal takes no token', () => {
    const lock = make();
    expectAbortedBy(lock.acquire({ signal: AbortSignal.abort('no') }), 'no');
    expect(lock.tokens).toBe(1);
  });
});

describe('deferLater(clock, delay, { signal }, fn?, ...args)', () => {
  it('runs fn with its arguments after the delay and removes the listener', () => {
    const clock = new Clock();
    const ac = new AbortController();
    const d = deferLater(clock, 2, { signal: ac.signal }, (a: number, b: number) => a + b, 40, 2);
    clock.advance(1.5);
    expect(d.called).toBe(false);
    clock.advance(0.5);
    expect(outcomes(d)).toEqual([42]);
    expect(abortListeners(ac.signal)).toBe(0);
  });

  it('an abort unschedules the call and fails with an AbortError', () => {
    const clock = new Clock();
    const ac = new AbortController();
    let called = false;
    const d = deferLater(clock, 1, { signal: ac.signal }, () => {
      called = true;
    });
    ac.abort('stop');
    expectAbortedBy(d, 'stop');
    expect(clock.getDelayedCalls()).toHaveLength(0);
    clock.advance(2);
    expect(called).toBe(false);
    expect(abortListeners(ac.signal)).toBe(0);
  });

  it('an already aborted signal schedules nothing; without fn it fires with undefined', () => {
    const clock = new Clock();
    expectAbortedBy(deferLater(clock, 1, { signal: AbortSignal.abort('x') }), 'x');
    expect(clock.getDelayedCalls()).toHaveLength(0);
    const d = deferLater(clock, 1, {});
    clock.advance(1);
    expect(outcomes(d)).toEqual([undefined]);
  });
});
