import { describe, expect, it } from 'vitest';
import { AlreadyCalled, AlreadyCancelled, Clock, DelayedCall } from '../../lib/index.js';

describe('Clock', () => {
  it('starts at 0 seconds', () => {
    expect(new Clock().seconds()).toBe(0);
  });

  it('callLater returns an active DelayedCall due at now + delay', () => {
    const clock = new Clock();
    const call = clock.callLater(1, (a: number, b: number) => a + b, 1, 2);
    expect(call).toBeInstanceOf(DelayedCall);
    expect(call.getTime()).toBe(1);
    expect(call.active()).toBe(true);
    expect(call.called).toBe(false);
    expect(call.cancelled).toBe(false);
  });

  it('returns a distinct DelayedCall for each callLater', () => {
    const clock = new Clock();
    expect(clock.callLater(10, () => {})).not.toBe(clock.callLater(1, () => {}));
  });

  it('runs a call only once its time is reached', () => {
    const clock = new Clock();
    const events: unknown[] = [];
    const call = clock.callLater(2, (x: string) => events.push(x), 'fired');
    clock.advance(1);
    expect(events).toEqual([]);
    clock.advance(1);
    expect(events).toEqual(['fired']);
    expect(call.active()).toBe(false);
    expect(call.called).toBe(true);
  });

  it('moves seconds() before running the calls that are due', () => {
    const clock = new Clock();
    const seen: number[] = [];
    clock.callLater(1, () => seen.push(clock.seconds()));
    clock.advance(5);
    expect(seen).toEqual([5]);
  });

  it('runs due calls in time order, ties in scheduling order', () => {
    const clock = new Clock();
    const order: string[] = [];
    clock.callLater(2, () => order.push('c'));
    clock.callLater(1, () => order.push('a'));
    clock.callLater(1, () => order.push('b'));
    clock.callLater(2, () => order.push('d'));
    clock.advance(10);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('runs calls scheduled during an advance when they are already due', () => {
    const clock = new Clock();
    const order: string[] = [];
    clock.callLater(1, () => {
      order.push('first');
      clock.callLater(0, () => order.push('zero'));
      clock.callLater(1, () => order.push('one'));
      clock.callLater(5, () => order.push('late'));
    });
    clock.advance(2); // 'first' runs at 2, so 'one' is due at 3
    expect(order).toEqual(['first', 'zero']);
    expect(clock.getDelayedCalls()).toHaveLength(2);
    clock.advance(1);
    expect(order).toEqual(['first', 'zero', 'one']);
  });

  it('does not run a cancelled call', () => {
    const clock = new Clock();
    const events: string[] = [];
    const call = clock.callLater(1, () => events.push('x'));
    call.cancel();
    expect(call.active()).toBe(false);
    expect(call.cancelled).toBe(true);
    clock.advance(5);
    expect(events).toEqual([]);
    expect(clock.calls).toEqual([]);
  });

  it('marks a call called before running it, so cancelling it inside throws AlreadyCalled', () => {
    const clock = new Clock();
    let thrown: unknown;
    const call = clock.callLater(1, () => {
      try {
        call.cancel();
      } catch (e) {
        thrown = e;
      }
    });
    clock.advance(1);
    expect(thrown).toBeInstanceOf(AlreadyCalled);
  });

  it('honours delay()', () => {
    const clock = new Clock();
    const events: string[] = [];
    const call = clock.callLater(1, () => events.push('x'));
    call.delay(1);
    expect(call.getTime()).toBe(2);
    clock.advance(1.5);
    expect(events).toEqual([]);
    clock.advance(1);
    expect(events).toEqual(['x']);
  });

  it('honours reset() to a later time', () => {
    const clock = new Clock();
    const events: string[] = [];
    const call = clock.callLater(2, () => events.push('x'));
    clock.advance(1);
    call.reset(3);
    expect(call.getTime()).toBe(4);
    clock.advance(2);
    expect(events).toEqual([]);
    clock.advance(1);
    expect(events).toEqual(['x']);
  });

  it('honours reset() to a sooner time', () => {
    const clock = new Clock();
    const events: string[] = [];
    const call = clock.callLater(4, () => events.push('x'));
    call.reset(3);
    expect(call.getTime()).toBe(3);
    clock.advance(3);
    expect(events).toEqual(['x']);
  });

  it('keeps calls ordered when a call is reset later before another is scheduled', () => {
    const clock = new Clock();
    const result: [string, number][] = [];
    const logtime = (n: string) => result.push([n, clock.seconds()]);
    const a = clock.callLater(1, logtime, 'a');
    a.reset(3);
    clock.callLater(2, logtime, 'b');
    clock.pump([1, 1, 1]);
    expect(result).toEqual([
      ['b', 2],
      ['a', 3],
    ]);
  });

  it('keeps calls ordered when a call is reset later after another is scheduled', () => {
    const clock = new Clock();
    const result: [string, number][] = [];
    const logtime = (n: string) => result.push([n, clock.seconds()]);
    const a = clock.callLater(1, logtime, 'a');
    clock.callLater(2, logtime, 'b');
    a.reset(3);
    clock.pump([1, 1, 1]);
    expect(result).toEqual([
      ['b', 2],
      ['a', 3],
    ]);
  });

  it('keeps calls ordered when a call is reset from inside another call', () => {
    const clock = new Clock();
    const result: [string, number][] = [];
    const logtime = (n: string) => result.push([n, clock.seconds()]);
    const b = clock.callLater(2, logtime, 'b');
    clock.callLater(1, () => {
      clock.callLater(2, logtime, 'c');
      b.reset(3);
    });
    clock.pump([1, 1, 1, 1]);
    expect(result).toEqual([
      ['c', 3],
      ['b', 4],
    ]);
  });

  it('lists pending calls in getDelayedCalls, and none when fresh', () => {
    const clock = new Clock();
    expect(clock.getDelayedCalls()).toEqual([]);
    const one = clock.callLater(1, () => {});
    const two = clock.callLater(2, () => {});
    expect(new Set(clock.getDelayedCalls())).toEqual(new Set([one, two]));
    clock.advance(1);
    expect(clock.getDelayedCalls()).toEqual([two]);
  });

  it('has bound methods, usable as callbacks', () => {
    const clock = new Clock();
    const { callLater, advance, seconds } = clock;
    const seen: number[] = [];
    callLater(1, () => seen.push(seconds()));
    clock.callLater(0.5, advance, 2);
    advance(0.5);
    expect(seen).toEqual([2.5]);
  });

  it('pump advances by each amount in turn', () => {
    const clock = new Clock();
    const seen: number[] = [];
    clock.callLater(1, () => seen.push(clock.seconds()));
    clock.callLater(3, () => seen.push(clock.seconds()));
    clock.pump([0.5, 0.5, 1, 1]);
    expect(seen).toEqual([1, 3]);
    expect(clock.seconds()).toBe(3);
  });

  it('propagates an error thrown by a call, keeping the rest pending', () => {
    const clock = new Clock();
    const events: string[] = [];
    clock.callLater(1, () => {
      throw new Error('boom');
    });
    clock.callLater(1, () => events.push('next'));
    expect(() => clock.advance(1)).toThrow('boom');
    expect(events).toEqual([]);
    clock.advance(0);
    expect(events).toEqual(['next']);
  });

  it('rejects negative or non-finite delays with RangeError', () => {
    const clock = new Clock();
    expect(() => clock.callLater(-1, () => {})).toThrow(RangeError);
    expect(() => clock.callLater(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => clock.callLater(Number.POSITIVE_INFINITY, () => {})).toThrow(RangeError);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('rejects a non-function with TypeError', () => {
    const clock = new Clock();
    expect(() => clock.callLater(1, 'nope' as unknown as () => void)).toThrow(TypeError);
  });
});

describe('DelayedCall', () => {
  it('throws AlreadyCancelled from cancel/reset/delay once cancelled', () => {
    const call = new Clock().callLater(1, () => {});
    call.cancel();
    for (const op of [() => call.cancel(), () => call.reset(1), () => call.delay(1)]) {
      expect(op).toThrow(AlreadyCancelled);
    }
    const e = (() => {
      try {
        call.cancel();
      } catch (err) {
        return err as AlreadyCancelled;
      }
    })();
    expect(e?.name).toBe('AlreadyCancelled');
    expect(e?.code).toBe('ERR_ALREADY_CANCELLED');
  });

  it('throws AlreadyCalled from cancel/reset/delay once called', () => {
    const clock = new Clock();
    const call = clock.callLater(1, () => {});
    clock.advance(1);
    for (const op of [() => call.cancel(), () => call.reset(1), () => call.delay(1)]) {
      expect(op).toThrow(AlreadyCalled);
    }
    expect(new AlreadyCalled().name).toBe('AlreadyCalled');
  });

  it('rejects a negative or non-finite reset and a non-finite delay', () => {
    const call = new Clock().callLater(5, () => {});
    expect(() => call.reset(-1)).toThrow(RangeError);
    expect(() => call.delay(Number.NaN)).toThrow(RangeError);
    expect(call.getTime()).toBe(5);
  });

  it('moves sooner with a negative delay(), as Twisted', () => {
    const clock = new Clock();
    const events: string[] = [];
    const call = clock.callLater(5, () => events.push('x'));
    call.delay(-3);
    expect(call.getTime()).toBe(2);
    clock.advance(2);
    expect(events).toEqual(['x']);
  });

  it('passes its arguments to the function', () => {
    const clock = new Clock();
    const got: unknown[] = [];
    clock.callLater(0, (...args: unknown[]) => got.push(...args), 1, 'two', null);
    clock.advance(0);
    expect(got).toEqual([1, 'two', null]);
  });
});
