import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CancelledError,
  Deferred,
  Failure,
  FirstError,
  fail,
  gatherResults,
  succeed,
} from '../../lib/index.js';
import { outcomes } from './outcome-helpers.js';

const fakeCallbackCanceller = (d: Deferred<string>) => d.callback('Callback Result');

describe('gatherResults', () => {
  it('fires with the list of results, in input order', () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const seen = outcomes(gatherResults([a, succeed(2), b]));
    b.callback(3);
    expect(seen).toEqual([]);
    a.callback(1);
    expect(seen).toEqual([[1, 2, 3]]);
  });

  it('fires with [] for no inputs', () => {
    expect(outcomes(gatherResults([]))).toEqual([[]]);
  });

  it('fails at the first failure with FirstError {failure, index}', () => {
    const pending = new Deferred<number>();
    const bad = fail(new RangeError('nope'));
    const seen = outcomes(gatherResults([succeed(1), bad, pending]));
    expect(seen).toHaveLength(1);
    const f = seen[0] as Failure;
    expect(f).toBeInstanceOf(Failure);
    const first = f.value as FirstError;
    expect(first).toBeInstanceOf(FirstError);
    expect(first.index).toBe(1);
    expect(first.failure.value).toBeInstanceOf(RangeError);
    expect(pending.called).toBe(false);
    bad.addErrback(() => undefined);
  });

  it('leaves the failure on the input without consumeErrors', () => {
    const bad = fail(new RangeError('nope'));
    outcomes(gatherResults([bad]));
    const later = outcomes(bad);
    expect((later[0] as Failure).value).toBeInstanceOf(RangeError);
  });

  it('turns the input failure into undefined with consumeErrors, still failing the gather', () => {
    const good = succeed(1);
    const bad = fail(new RangeError('oh noes'));
    const gathered = gatherResults([good, bad], { consumeErrors: true });
    const unconsumed: Failure[] = [];
    bad.addErrback((f: Failure) => {
      unconsumed.push(f);
    });
    const seen = outcomes(gathered);
    expect(unconsumed).toEqual([]);
    expect(seen).toHaveLength(1);
    const first = (seen[0] as Failure).value as FirstError;
    expect(first).toBeInstanceOf(FirstError);
    expect(first.failure.value).toBeInstanceOf(RangeError);
  });

  it('cancels every input when cancelled, failing with FirstError of CancelledError', () => {
    const one = new Deferred<void>();
    const two = new Deferred<void>();
    const gathered = gatherResults([one, two]);
    gathered.cancel();
    for (const d of [one, two]) {
      expect((outcomes(d)[0] as Failure).value).toBeInstanceOf(CancelledError);
    }
    const first = (outcomes(gathered)[0] as Failure).value as FirstError;
    expect(first).toBeInstanceOf(FirstError);
    expect(first.failure.check(CancelledError)).toBe(CancelledError);
  });

  it('fires with the results when every canceller calls back', () => {
    const one = new Deferred<string>(fakeCallbackCanceller);
    const two = new Deferred<string>(fakeCallbackCanceller);
    const gathered = gatherResults([one, two]);
    gathered.cancel();
    expect(outcomes(gathered)).toEqual([['Callback Result', 'Callback Result']]);
  });

  it('accepts promises and works with await', async () => {
    const results: number[] = await gatherResults([Promise.resolve(1), succeed(2)]);
    expect(results).toEqual([1, 2]);
  });

  it('rejects an awaiting caller with the FirstError itself', async () => {
    const err = new TypeError('x');
    await expect(gatherResults([Promise.reject(err)])).rejects.toBeInstanceOf(FirstError);
  });

  it('is typed per element for a literal list, as Promise.all', () => {
    const a = succeed('a');
    const b = succeed(1);
    expectTypeOf(gatherResults([a, b])).toEqualTypeOf<Deferred<[string, number]>>();
    expectTypeOf(gatherResults(new Set([b]))).toEqualTypeOf<Deferred<number[]>>();
    expect(outcomes(gatherResults([a, b]))).toEqual([['a', 1]]);
  });
});
