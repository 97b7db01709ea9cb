import { describe, expect, it } from 'vitest';
import { failureOf } from '../helpers.js';
import { Clock, Deferred, LoopingCall, LoopingCallStateError, reactor } from '../../lib/index.js';

class TestException extends Error {}

function loopOn<A extends unknown[]>(
  clock: Clock,
  fn: (...args: A) => unknown,
  ...args: A
): LoopingCall<A> {
  const lc = new LoopingCall(fn, ...args);
  lc.clock = clock;
  return lc;
}

function countingOn(clock: Clock, fn: (count: number) => unknown): LoopingCall<[]> {
  const lc = LoopingCall.withCount(fn);
  lc.clock = clock;
  return lc;
}

describe('LoopingCall', () => {
  it('uses the reactor as its default clock', () => {
    expect(new LoopingCall(() => {}).clock).toBe(reactor);
  });

  it('calls the function at once and then every interval, with its arguments', () => {
    const clock = new Clock();
    const calls: unknown[][] = [];
    const lc = loopOn(clock, (a: string, b: string) => calls.push([a, b]), 'a', 'b');
    const results: unknown[] = [];
    lc.start(0.1).addCallback((r) => results.push(r));
    expect(lc.running).toBe(true);
    expect(lc.interval).toBe(0.1);
    clock.pump([0.05, 0.1, 0.1]);
    expect(calls).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
    lc.stop();
    expect(lc.running).toBe(false);
    expect(results).toHaveLength(1);
    expect(results[0]).toBe(lc);
    expect(clock.calls).toEqual([]);
  });

  it('waits an interval before the first call when now is false', () => {
    const clock = new Clock();
    const calls: unknown[] = [];
    const lc = loopOn(clock, () => calls.push(null));
    const results: unknown[] = [];
    lc.start(0.1, false).addCallback((r) => results.push(r));
    clock.pump([0.05, 0.1, 0.1]);
    expect(calls).toHaveLength(2);
    lc.stop();
    expect(results[0]).toBe(lc);
    expect(clock.calls).toEqual([]);
  });

  it('rejects a negative interval with RangeError', () => {
    expect(() => new LoopingCall(() => {}).start(-1)).toThrow(RangeError);
  });

  it('throws LoopingCallStateError when started twice or stopped while not running', () => {
    const clock = new Clock();
    const lc = loopOn(clock, () => {});
    expect(() => lc.stop()).toThrow(LoopingCallStateError);
    lc.start(1);
    expect(() => lc.start(1)).toThrow(LoopingCallStateError);
    lc.stop();
  });

  for (const interval of [0, 10]) {
    it(`never calls again once stopped before a delayed start (interval ${interval})`, () => {
      const clock = new Clock();
      const ran: unknown[] = [];
      const lc = loopOn(clock, () => ran.push(null));
      lc.start(interval, false);
      lc.stop();
      clock.advance(20);
      expect(ran).toEqual([]);
      expect(clock.calls).toEqual([]);
    });
  }

  it('reset() skips the next call and restarts the interval', () => {
    const clock = new Clock();
    const ran: unknown[] = [];
    const lc = loopOn(clock, () => ran.push(null));
    lc.start(2, false);
    clock.advance(1);
    lc.reset();
    clock.advance(1);
    expect(ran).toEqual([]);
    clock.advance(1);
    expect(ran).toEqual([null]);
  });

  it('skips intervals that passed while the function ran', () => {
    const clock = new Clock();
    const times: number[] = [];
    let callDuration = 2;
    const lc = loopOn(clock, () => {
      times.push(clock.seconds());
      clock.advance(callDuration);
    });
    lc.start(0.5);
    expect(times).toEqual([0]);
    expect(clock.seconds()).toBe(2);
    clock.advance(0);
    expect(times).toEqual([0]);
    callDuration = 1;
    clock.advance(0.5);
    expect(times).toEqual([0, 2.5]);
    expect(clock.seconds()).toBe(3.5);
    clock.advance(0);
    expect(times).toEqual([0, 2.5]);
    callDuration = 0;
    clock.advance(0.5);
    expect(times).toEqual([0, 2.5, 4]);
  });

  it('skips intervals that passed before it got to run', () => {
    const clock = new Clock();
    const times: number[] = [];
    loopOn(clock, () => times.push(clock.seconds())).start(0.5);
    clock.advance(2);
    expect(times).toEqual([0, 2]);
    clock.advance(1);
    expect(times).toEqual([0, 2, 3]);
    clock.advance(0);
    expect(times).toEqual([0, 2, 3]);
  });

  it('fails its Deferred when the function throws, and stops', () => {
    const clock = new Clock();
    const lc = loopOn(
      clock,
      (x: string) => {
        throw new TestException(x);
      },
      'bar',
    );
    const d = lc.start(0.1);
    expect(failureOf(d)?.value).toBeInstanceOf(TestException);
    expect(lc.running).toBe(false);
    expect(clock.calls).toEqual([]);
  });

  it('fails its Deferred when the function stops the loop and then throws', () => {
    const clock = new Clock();
    const lc: LoopingCall = loopOn(clock, () => {
      lc.stop();
      throw new TestException('x');
    });
    expect(failureOf(lc.start(0.1))?.value).toBeInstanceOf(TestException);
  });

  it('with an interval of 0 runs on every advance until stopped', () => {
    const clock = new Clock();
    const ran: unknown[] = [];
    const lc: LoopingCall = loopOn(clock, () => {
      ran.push(null);
      if (ran.length > 5) lc.stop();
    });
    let stopped = false;
    lc.start(0).addCallback(() => {
      stopped = true;
    });
    for (let i = 0; i < 10 && !stopped; i++) clock.advance(0);
    expect(ran).toHaveLength(6);
    expect(stopped).toBe(true);
  });

  it('waits for a returned Deferred before scheduling the next call', () => {
    const clock = new Clock();
    const lc: LoopingCall = loopOn(clock, () => {
      const d = new Deferred<undefined>();
      d.addCallback(() => lc.stop());
      clock.callLater(1, () => d.callback(undefined));
      return d;
    });
    lc.start(0.2);
    clock.pump([0.2, 0.8]);
    expect(clock.calls).toEqual([]);
    expect(lc.running).toBe(false);
  });

  it('fires its Deferred only once a pending result settles, when stopped meanwhile', () => {
    const clock = new Clock();
    const pending = new Deferred<undefined>();
    const lc = loopOn(clock, () => pending);
    const results: unknown[] = [];
    lc.start(1).addCallback((r) => results.push(r));
    lc.stop();
    expect(results).toEqual([]);
    pending.callback(undefined);
    expect(results).toEqual([lc]);
  });

  it("propagates the failure of the function's Deferred", () => {
    const clock = new Clock();
    const lc = loopOn(clock, () => {
      const d = new Deferred();
      clock.callLater(0.3, () => d.errback(new TestException()));
      return d;
    });
    const d = lc.start(1);
    clock.pump([0.3]);
    expect(failureOf(d)?.value).toBeInstanceOf(TestException);
    expect(clock.calls).toEqual([]);
  });

  it('waits for a returned Promise and propagates its rejection', async () => {
    const clock = new Clock();
    let n = 0;
    const lc = loopOn(clock, () => {
      n++;
      return n === 1 ? Promise.resolve() : Promise.reject(new TestException('second'));
    });
    const d = lc.start(1);
    expect(clock.calls).toEqual([]); // waiting for the Promise
    await Promise.resolve();
    await Promise.resolve();
    expect(clock.calls).toHaveLength(1);
    clock.advance(1);
    await expect(d).rejects.toBeInstanceOf(TestException);
  });

  it('can be stopped by a scheduled call (stop is bound)', () => {
    const clock = new Clock();
    const lc = loopOn(clock, () => {});
    let stopped = false;
    lc.start(1).addCallback(() => {
      stopped = true;
    });
    clock.callLater(2.5, lc.stop);
    clock.pump([1, 1, 1]);
    expect(stopped).toBe(true);
    expect(clock.calls).toEqual([]);
  });

  it('describes itself', () => {
    function tick() {}
    expect(String(new LoopingCall(tick))).toBe('LoopingCall<undefined>(tick)');
  });
});

describe('LoopingCall.withCount', () => {
  it('passes the number of intervals elapsed, skipping missed ones', () => {
    const clock = new Clock();
    const times: [number, number][] = [];
    const lc = countingOn(clock, (n) => times.push([clock.seconds(), n]));
    const INTERVAL = 0.5;
    const DELAY = 0.01;
    lc.start(INTERVAL);
    expect(times).toEqual([[0, 1]]);
    clock.advance(INTERVAL + DELAY);
    expect(times).toEqual([
      [0, 1],
      [INTERVAL + DELAY, 1],
    ]);
    clock.advance(3 * INTERVAL + DELAY);
    expect(times).toEqual([
      [0, 1],
      [INTERVAL + DELAY, 1],
      [4 * INTERVAL + 2 * DELAY, 3],
    ]);
    clock.advance(0);
    expect(times).toHaveLength(3);
  });

  it('counts only intervals that were expected to elapse', () => {
    const clock = new Clock();
    const times: [number, number][] = [];
    const lc = countingOn(clock, (n) => times.push([clock.seconds(), n]));
    const INTERVAL = 0.5;
    const DELAY = 0.01;
    lc.start(INTERVAL);
    expect(times.pop()).toEqual([0, 1]);
    clock.advance(INTERVAL + DELAY);
    expect(times.pop()).toEqual([INTERVAL + DELAY, 1]);
    clock.advance(INTERVAL * 1.75);
    expect(times.pop()).toEqual([2.75 * INTERVAL + DELAY, 1]);
    clock.advance(INTERVAL * 0.25);
    expect(times.pop()).toEqual([3.0 * INTERVAL + DELAY, 1]);
  });

  it('never passes 0 and sums to the intervals elapsed despite floating-point error', () => {
    const clock = new Clock();
    const counts: number[] = [];
    const lc = countingOn(clock, (n) => counts.push(n));
    const count = 10;
    const timespan = 1.0;
    const interval = timespan / count;
    lc.start(interval, false);
    for (let i = 0; i < count; i++) clock.advance(interval);
    const epsilon =
      timespan -
      Array(count)
        .fill(interval)
        .reduce((a: number, b: number) => a + b, 0);
    clock.advance(epsilon);
    expect(Math.abs(epsilon)).toBeGreaterThan(0);
    expect(clock.seconds()).toBeGreaterThanOrEqual(timespan);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(count);
    expect(counts).not.toContain(0);
  });

  it('passes 1 every time with an interval of 0', () => {
    const clock = new Clock();
    const counts: number[] = [];
    const lc = countingOn(clock, (n) => {
      counts.push(n);
      if (counts.length > 4) lc.stop();
    });
    let done = false;
    lc.start(0, false).addCallback(() => {
      done = true;
    });
    clock.advance(0);
    expect(done).toBe(true);
    expect(counts).toEqual([1, 1, 1, 1, 1]);
  });

  it('passes 1 with an interval of 0 even after waiting on a Deferred', () => {
    const clock = new Clock();
    const deferred = new Deferred<undefined>();
    const counts: number[] = [];
    const lc = countingOn(clock, (n) => {
      counts.push(n);
      if (counts.length === 2) return deferred;
      if (counts.length > 4) lc.stop();
      return undefined;
    });
    lc.start(0, false);
    clock.advance(0);
    expect(counts).toEqual([1, 1]);
    clock.advance(2);
    expect(counts).toEqual([1, 1]);
    deferred.callback(undefined);
    clock.advance(0);
    expect(counts).toEqual([1, 1, 1, 1, 1]);
  });

  it('counts from the last call when the interval changes from 0', () => {
    const clock = new Clock();
    const deferred = new Deferred<undefined>();
    const counts: number[] = [];
    const lc = countingOn(clock, (n) => {
      counts.push(n);
      return counts.length === 2 ? deferred : undefined;
    });
    lc.start(0, false);
    clock.advance(10);
    expect(counts).toEqual([1, 1]);
    lc.interval = 2;
    deferred.callback(undefined);
    clock.advance(7);
    expect(counts).toEqual([1, 1, 3]);
    clock.advance(2);
    expect(counts).toEqual([1, 1, 3, 1]);
    clock.advance(4);
    expect(counts).toEqual([1, 1, 3, 1, 2]);
  });

  it('does not call again while a returned Deferred is pending, then counts the skipped calls', () => {
    const clock = new Clock();
    const d = new Deferred<undefined>();
    const counts: number[] = [];
    const lc = countingOn(clock, (n) => {
      counts.push(n);
      return counts.length === 1 ? d : undefined;
    });
    lc.start(0.2, false);
    expect(counts).toEqual([]);
    clock.pump([0.2, 0.4]);
    expect(counts).toHaveLength(1);
    d.callback(undefined);
    clock.pump([0.2]);
    expect(counts).toEqual([1, 3]);
  });
});
