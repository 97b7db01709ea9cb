import { beforeEach, describe, expect, it } from 'vitest';
import { Clock, Deferred, LoopingCall, reactor, TimerService } from '../../lib/index.js';
import { logEventsOfEachTest } from '../helpers.js';

let clock: Clock;
let deferred: Deferred<unknown>;
let calls: number;
let timer: TimerService;

beforeEach(() => {
  calls = 0;
  deferred = new Deferred();
  timer = new TimerService(2, () => {
    calls++;
    return deferred;
  });
  clock = new Clock();
  timer.clock = clock;
});

describe('TimerService', () => {
  it('marks itself running and starts a LoopingCall on its clock', () => {
    timer.startService();
    expect(timer.running).toBe(true);
    expect(timer.loop).toBeInstanceOf(LoopingCall);
    expect(timer.loop?.clock).toBe(clock);
    expect(timer.loop?.running).toBe(true);
  });

  it('uses the global reactor when no clock is set', () => {
    const t = new TimerService(1000, () => undefined);
    t.startService();
    expect(t.loop?.clock).toBe(reactor);
    t.stopService();
  });

  it('makes the first call at start, with the arguments given', () => {
    const seen: unknown[][] = [];
    const t = new TimerService(1, (...args: unknown[]) => seen.push(args), 'a', 1);
    t.clock = clock;
    t.startService();
    expect(seen).toEqual([['a', 1]]);
    clock.advance(1);
    expect(seen).toHaveLength(2);
    t.stopService();
  });

  it('calls every interval while running and not after stopping', () => {
    const t = new TimerService(2, () => calls++);
    t.clock = clock;
    t.startService();
    clock.advance(2);
    clock.advance(2);
    expect(calls).toBe(3);
    t.stopService();
    clock.advance(10);
    expect(calls).toBe(3);
    expect(t.running).toBe(false);
  });

  it('waits for a call in flight when stopping', () => {
    timer.startService();
    const d = timer.stopService();
    expect(d.called).toBe(false);
    expect(timer.running).toBe(true);
    deferred.callback({});
    expect(d.called).toBe(true);
    expect(d.result).toBeUndefined();
    expect(timer.running).toBe(false);
  });

  it('stops at once when no call is in flight', () => {
    timer.startService();
    deferred.callback({});
    const d = timer.stopService();
    expect(d.called).toBe(true);
    expect(d.result).toBeUndefined();
  });

  describe('when a call fails', () => {
    const events = logEventsOfEachTest();

    it('logs the error and still stops cleanly', () => {
      timer.startService();
      deferred.errback(new RangeError('division by zero'));
      const logged = events.filter((e) => e.log_failure?.check(RangeError));
      expect(logged).toHaveLength(1);
      const d = timer.stopService();
      expect(d.called).toBe(true);
      expect(d.result).toBeUndefined();
    });
  });
});
