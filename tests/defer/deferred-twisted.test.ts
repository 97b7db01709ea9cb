// Behaviours ported from Twisted's twisted/test/test_defer.py (Deferred class).
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  Clock,
  Deferred,
  type Failure,
  fail,
  gatherResults,
  succeed,
} from '../../lib/index.js';
import { failureOf } from '../helpers.js';

describe('re-entrancy', () => {
  it('a callback added by a running callback runs only after it returns', () => {
    const d = new Deferred<null>();
    const called: number[] = [];
    let seenInside: number[] = [];
    d.addCallback(() => {
      called.push(1);
      d.addCallback(() => {
        called.push(2);
      });
      seenInside = [...called];
    });
    d.callback(null);
    expect(seenInside).toEqual([1]);
    expect(called).toEqual([1, 2]);
  });

  it('an error from a callback added by a callback reaches the first errback', () => {
    const d = new Deferred<null>();
    d.addCallback(() => {
      d.addCallback(() => {
        throw new Error('callback raised exception');
      });
    });
    d.callback(null);
    expect(failureOf(d)?.getErrorMessage()).toBe('callback raised exception');
  });
});

describe('implicit chaining', () => {
  it('chaining is transitive (test_doubleAsynchronousImplicitChaining)', () => {
    const first = new Deferred<object>();
    const second = new Deferred<null>();
    second.addCallback(() => first);
    const third = new Deferred<null>();
    third.addCallback(() => second);
    const thirdResult: unknown[] = [];
    third.addCallback((r) => thirdResult.push(r));
    second.callback(null);
    third.callback(null);
    expect(thirdResult).toEqual([]);
    const result = {};
    first.callback(result);
    expect(thirdResult).toEqual([result]);
  });

  it('a failed Deferred returned from a callback gives its failure and is left undefined (test_synchronousImplicitErrorChain)', () => {
    const first = fail(new RangeError("First Deferred's Failure"));
    const second = new Deferred<null>();
    second.addCallback(() => first);
    second.callback(null);
    const firstResult: unknown[] = [];
    first.addCallback((r) => firstResult.push(r));
    expect(firstResult).toEqual([undefined]);
    expect(failureOf(second)?.value).toBeInstanceOf(RangeError);
  });

  it('a failure returned asynchronously is the outer failure (test_asynchronousImplicitErrorChain)', () => {
    const first = new Deferred<null>();
    const second = new Deferred<null>();
    second.addCallback(() => first);
    second.callback(null);
    const secondErrors: Failure[] = [];
    second.addErrback((f) => {
      secondErrors.push(f);
    });
    const firstResult: unknown[] = [];
    first.addCallback((r) => firstResult.push(r));
    const secondResult: unknown[] = [];
    second.addCallback((r) => secondResult.push(r));
    expect(firstResult).toEqual([]);
    expect(secondResult).toEqual([]);
    first.errback(new RangeError("First Deferred's Failure"));
    expect(secondErrors).toHaveLength(1);
    expect(firstResult).toEqual([undefined]);
    expect(secondResult).toEqual([undefined]);
  });

  it('a callback added after a returned Deferred runs after its callbacks (test_callbackOrderPreserved)', () => {
    const results: unknown[] = [];
    const failures: Failure[] = [];
    const a = new Deferred<string>();
    const outer = new Deferred<string>();
    outer.addCallback((r) => {
      results.push(['cb', r]);
      const d = new Deferred<null>();
      d.addCallback((x) => {
        results.push(['firstCallback', x]);
        return gatherResults([a]);
      });
      d.addCallback((x) => {
        results.push(['secondCallback', x]);
      });
      d.addErrback((f) => {
        failures.push(f);
      });
      d.callback(null);
      return d;
    });
    outer.addCallback(() => results.push(['final', null]));
    outer.addErrback((f) => failures.push(f));
    outer.callback('outer');
    expect(results).toEqual([
      ['cb', 'outer'],
      ['firstCallback', null],
    ]);
    a.callback('withers');
    expect(failures).toEqual([]);
    expect(results).toEqual([
      ['cb', 'outer'],
      ['firstCallback', null],
      ['secondCallback', ['withers']],
      ['final', null],
    ]);
  });

  it('extra callbacks on a returned Deferred run before the outer resumes (test_nestedAsynchronousChainedDeferredsWithExtraCallbacks)', () => {
    const results: unknown[] = [];
    const failures: Failure[] = [];
    const inner = new Deferred<string>();
    const outer = succeed('outer');
    outer.addCallback((r) => {
      results.push(['start-of-cb', r]);
      return succeed('inner')
        .addCallback((x) => {
          results.push(['firstCallback', x]);
          return inner.addCallback((s) => [s]);
        })
        .addCallback((x) => {
          results.push(['secondCallback', x]);
          return [...x, ...x];
        })
        .addErrback((f) => {
          failures.push(f);
          return [];
        });
    });
    outer.addCallback((r) => results.push(r));
    expect(results).toEqual([
      ['start-of-cb', 'outer'],
      ['firstCallback', 'inner'],
    ]);
    inner.callback('withers');
    outer.addErrback((f) => failures.push(f));
    inner.addErrback((f) => failures.push(f));
    expect(failures).toEqual([]);
    expect(results).toEqual([
      ['start-of-cb', 'outer'],
      ['firstCallback', 'inner'],
      ['secondCallback', ['withers']],
      ['withers', 'withers'],
    ]);
  });
});

describe('timeouts with a canceller', () => {
  it("the canceller's own failure wins over TimeoutError (test_timedOutProvidedCancelFailure)", () => {
    const clock = new Clock();
    const error = new RangeError('what!');
    const d = new Deferred<null>((c) => c.errback(error));
    d.addTimeout(10, clock);
    expect(d.called).toBe(false);
    clock.advance(15);
    expect(failureOf(d)?.value).toBe(error);
  });

  it('onTimeoutCancel throwing fails the Deferred with that error', () => {
    const clock = new Clock();
    const d = new Deferred<null>().addTimeout(1, clock, () => {
      throw new SyntaxError('custom');
    });
    clock.advance(1);
    expect(failureOf(d)?.value).toBeInstanceOf(SyntaxError);
  });
});

describe('timeouts with onTimeoutCancel', () => {
  it('a cancel before the timeout is not converted (test_cancelBeforeTimeoutCustom)', () => {
    const clock = new Clock();
    let converted = 0;
    const d = new Deferred<null>().addTimeout(10, clock, () => converted++);
    d.cancel();
    expect(failureOf(d)?.value).toBeInstanceOf(CancelledError);
    expect(converted).toBe(0);
  });

  it('a canceller that callbacks before the timeout gives its result (test_providedCancelCalledBeforeTimeoutCustom)', () => {
    const clock = new Clock();
    const d = new Deferred<string>((c) => c.callback('I was cancelled!')).addTimeout(
      10,
      clock,
      (r) => r,
    );
    d.cancel();
    expect(d.result).toBe('I was cancelled!');
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('an errback added before the timeout sees CancelledError, then onTimeoutCancel its result (test_errbackAddedBeforeTimeoutCustom)', () => {
    const clock = new Clock();
    const d = new Deferred<null>();
    const seen: unknown[] = [];
    d.addErrback((f) => {
      seen.push(f.value);
      throw f;
    });
    d.addTimeout(10, clock, (r, seconds) => `${(r as Failure).typeName()} after ${seconds}`);
    clock.advance(15);
    expect(seen[0]).toBeInstanceOf(CancelledError);
    expect(d.result).toBe('CancelledError after 10');
  });
});

describe('toString', () => {
  it('shows the state: unfired, current result, or waiting', () => {
    const d = new Deferred<number>();
    expect(String(d)).toMatch(/^<Deferred #\d+>$/);
    d.callback(1);
    expect(String(d)).toMatch(/current result: 1>$/);
    const inner = new Deferred<number>();
    const outer = succeed(0).addCallback(() => inner);
    expect(String(outer)).toMatch(/waiting on Deferred #\d+>$/);
    inner.callback(2);
  });
});
