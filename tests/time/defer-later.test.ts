import { describe, expect, it } from 'vitest';
import { CancelledError, Clock, Deferred, deferLater, type Failure } from '../../lib/index.js';

class TestException extends Error {}

describe('deferLater', () => {
  it('fires after the delay with the result of the function and its arguments', () => {
    const clock = new Clock();
    const calls: unknown[][] = [];
    const flag = {};
    const d = deferLater(
      clock,
      3,
      (foo: string, bar: string) => {
        calls.push([foo, bar]);
        return flag;
      },
      'foo',
      'bar',
    );
    const results: unknown[] = [];
    d.addCallback((r) => results.push(r));
    clock.advance(2);
    expect(calls).toEqual([]);
    expect(d.called).toBe(false);
    clock.advance(1);
    expect(calls).toEqual([['foo', 'bar']]);
    expect(results).toEqual([flag]);
  });

  it('fails when the function throws', () => {
    const clock = new Clock();
    const d = deferLater(clock, 1, () => {
      throw new TestException();
    });
    clock.advance(1);
    let failure: Failure | undefined;
    d.addErrback((f: Failure) => {
      failure = f;
    });
    expect(failure?.check(TestException)).toBe(TestException);
  });

  it('follows a Deferred returned by the function', () => {
    const clock = new Clock();
    const inner = new Deferred<number>();
    const d = deferLater(clock, 1, () => inner);
    clock.advance(1);
    expect(d.called).toBe(true);
    const results: unknown[] = [];
    d.addCallback((r) => results.push(r));
    expect(results).toEqual([]);
    inner.callback(7);
    expect(results).toEqual([7]);
  });

  it('cancelling it unschedules the call and fails with CancelledError', () => {
    const clock = new Clock();
    const called: unknown[] = [];
    const d = deferLater(clock, 1, (x: null) => called.push(x), null);
    d.cancel();
    let failure: Failure | undefined;
    d.addErrback((f: Failure) => {
      failure = f;
    });
    expect(failure?.check(CancelledError)).toBe(CancelledError);
    expect(clock.getDelayedCalls()).toEqual([]);
    clock.advance(2);
    expect(called).toEqual([]);
  });

  it('fires with undefined when no function is given', async () => {
    const clock = new Clock();
    const d = deferLater(clock, 2);
    expect(d.called).toBe(false);
    clock.advance(2);
    expect(d.called).toBe(true);
    await expect(d).resolves.toBeUndefined();
  });

  it('rejects a negative delay with RangeError', () => {
    expect(() => deferLater(new Clock(), -1)).toThrow(RangeError);
  });
});
