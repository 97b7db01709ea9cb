import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CancelledError, Deferred, Failure, FailureGroup, race } from '../../lib/index.js';
import { failureResultOf, loggedWhile } from '../helpers.js';
import { outcomes } from './outcome-helpers.js';

describe('race', () => {
  it('fires with [index, value] of the first success and cancels every other input', () => {
    fc.assert(
      fc.property(fc.nat(10), fc.nat(10), (before, after) => {
        const cancelled: number[] = [];
        const ds = Array.from(
          { length: before + 1 + after },
          (_, i) => new Deferred<object>(() => cancelled.push(i)),
        );
        const raced = race(ds);
        const value = {};
        ds[before]!.callback(value);
        expect(outcomes(raced)).toEqual([[before, value]]);
        expect(cancelled).toEqual(ds.map((_, i) => i).filter((i) => i !== before));
        // race consumes what its inputs fire with: nothing is left unhandled
        for (const d of ds) expect(d.result).toBeUndefined();
      }),
      { numRuns: 50 },
    );
  });

  it('fails with FailureGroup of every failure, in input order, when all fail', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), (count) => {
        const ds = Array.from({ length: count }, () => new Deferred<never>());
        const raced = race(ds);
        const errors = ds.map((_, i) => new RangeError(String(i)));
        // fire in reverse order: the group is still in input order
        for (let i = count - 1; i >= 0; i--) {
          expect(raced.called).toBe(false);
          ds[i]!.errback(errors[i]);
        }
        const group = failureResultOf(raced).value as FailureGroup;
        expect(group).toBeInstanceOf(FailureGroup);
        expect(group.name).toBe('FailureGroup');
        expect(group.failures.map((f) => f.value)).toEqual(errors);
      }),
      { numRuns: 20 },
    );
  });

  it('does not fail while one input may still succeed', () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const raced = race([a, b]);
    a.errback(new RangeError('a'));
    expect(raced.called).toBe(false);
    b.callback(2);
    expect(outcomes(raced)).toEqual([[1, 2]]);
  });

  it('ignores a success arriving after the winner from an input cancel could not stop', () => {
    const late = new Deferred<string>();
    late.pause();
    late.callback('late'); // fired but paused: cancel() cannot change it
    const winner = new Deferred<string>();
    const raced = race([late, winner]);
    winner.callback('won');
    late.unpause();
    expect(outcomes(raced)).toEqual([[1, 'won']]);
    expect(outcomes(late)).toEqual([undefined]);
  });

  it('lets a loser without canceller be fired after race cancelled it, silently', () => {
    fc.assert(
      fc.property(fc.nat(3), fc.nat(3), (before, after) => {
        const [logged] = loggedWhile(() => {
          const ds = Array.from({ length: before + 2 + after }, () => new Deferred<void>());
          const raced = race(ds);
          ds[before]!.callback(undefined);
          expect(() => ds[before + 1]!.callback(undefined)).not.toThrow();
          expect(outcomes(raced)).toEqual([[before, undefined]]);
        });
        expect(logged).toEqual([]);
      }),
      { numRuns: 16 },
    );
  });

  it('passes each input’s own Failure into the group', () => {
    const failure = new Failure(new Error('The test demands failures.'));
    const ds = [new Deferred<void>(), new Deferred<void>(), new Deferred<void>()];
    const raced = race(ds);
    for (const d of ds) d.errback(failure);
    const group = failureResultOf(raced, FailureGroup).value as FailureGroup;
    expect(group.failures).toHaveLength(3);
    for (const f of group.failures) expect(f).toBe(failure);
  });

  it('keeps the first success when a loser’s canceller fires it with a value', () => {
    const winner = new Deferred<object>();
    const loser = new Deferred<object>((d) => d.callback({}));
    const raced = race([winner, loser]);
    const expected = {};
    winner.callback(expected);
    expect(outcomes(raced)).toEqual([[0, expected]]);
  });

  it('cancels every input when cancelled, failing with FailureGroup of CancelledErrors', () => {
    const cancelled: number[] = [];
    const ds = [
      new Deferred<void>(() => cancelled.push(0)),
      new Deferred<void>(() => cancelled.push(1)),
    ];
    const raced = race(ds);
    raced.cancel();
    expect(cancelled).toEqual([0, 1]);
    const group = failureResultOf(raced).value as FailureGroup;
    expect(group).toBeInstanceOf(FailureGroup);
    expect(group.failures.map((f) => f.check(CancelledError))).toEqual([
      CancelledError,
      CancelledError,
    ]);
  });

  it('fails at once with an empty FailureGroup for no inputs', () => {
    const group = failureResultOf(race([])).value as FailureGroup;
    expect(group).toBeInstanceOf(FailureGroup);
    expect(group.failures).toEqual([]);
  });

  it('accepts promises and works with await', async () => {
    const never = new Promise<number>(() => {});
    await expect(race([never, Promise.resolve(7)])).resolves.toEqual([1, 7]);
  });

  it('is typed as [index, union of the input value types]', () => {
    const a = new Deferred<string>();
    const b = new Deferred<number>();
    const raced = race([a, b]);
    expectTypeOf(raced).toEqualTypeOf<Deferred<[index: number, value: string | number]>>();
    b.callback(2);
    expect(outcomes(raced)).toEqual([[1, 2]]);
  });

  it('logs a loser’s canceller exception and still cancels the others and fires', () => {
    const cancelled: number[] = [];
    const throwing = new Deferred<string>(() => {
      throw new RangeError('canceller broke');
    });
    const other = new Deferred<string>(() => cancelled.push(2));
    const winner = new Deferred<string>();
    const [events, raced] = loggedWhile(() => {
      const raced = race([throwing, winner, other]);
      winner.callback('w');
      return raced;
    });
    expect(outcomes(raced)).toEqual([[1, 'w']]);
    expect(cancelled).toEqual([2]);
    const logged = events.filter((e) => e.log_failure instanceof Failure);
    expect(logged.map((e) => (e.log_failure as Failure).value)).toEqual([
      new RangeError('canceller broke'),
    ]);
    throwing.callback('late');
  });
});
