import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CancelledError,
  Deferred,
  DeferredList,
  Failure,
  FirstError,
  type DeferredListEntry,
  type DeferredListResult,
  succeed,
} from '../../lib/index.js';
import { failureResultOf, loggedWhile } from '../helpers.js';
import { outcomes, unhandledReports } from './outcome-helpers.js';

class GenericError extends Error {}

const fakeCallbackCanceller = (d: Deferred<string>) => d.callback('Callback Result');

describe('DeferredList', () => {
  it('is a Deferred', () => {
    expect(new DeferredList([])).toBeInstanceOf(Deferred);
  });

  it('fires with one [success, resultOrFailure] entry per input, in input order', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const d3 = new Deferred<string>();
    const dl = new DeferredList([d1, d2, d3]);
    const seen = outcomes(dl);
    d3.callback('3');
    d1.callback('1');
    d2.addErrback(() => undefined); // eats the failure the list passes on
    expect(seen).toEqual([]);
    d2.errback(new GenericError('2'));
    expect(seen).toHaveLength(1);
    const [entries] = seen as [[boolean, unknown][]];
    expect(entries[0]).toEqual([true, '1']);
    expect(entries[1]![0]).toBe(false);
    expect((entries[1]![1] as Failure).value).toBeInstanceOf(GenericError);
    expect((entries[1]![1] as Failure).getErrorMessage()).toBe('2');
    expect(entries[2]).toEqual([true, '3']);
  });

  it('shows its progress in finishedCount and resultList', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const dl = new DeferredList([d1, d2]);
    expect([dl.finishedCount, dl.resultList]).toEqual([0, [undefined, undefined]]);
    d2.callback('b');
    expect([dl.finishedCount, dl.resultList]).toEqual([1, [undefined, [true, 'b']]]);
    dl.resultList.pop(); // a copy
    d1.callback('a');
    expect(outcomes(dl)).toEqual([
      [
        [true, 'a'],
        [true, 'b'],
      ],
    ]);
    expect(dl.finishedCount).toBe(2);
  });

  it('fires at once with [] for an empty list', () => {
    expect(outcomes(new DeferredList([]))).toEqual([[]]);
  });

  it('never fires for an empty list with fireOnOneCallback', () => {
    expect(outcomes(new DeferredList([], { fireOnOneCallback: true }))).toEqual([]);
  });

  it('fires with [result, index] on the first success with fireOnOneCallback', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const dl = new DeferredList([d1, d2], { fireOnOneCallback: true });
    const seen = outcomes(dl);
    d2.callback('two');
    expect(seen).toEqual([['two', 1]]);
    d1.callback('one');
    expect(seen).toEqual([['two', 1]]);
  });

  it('fails with FirstError {failure, index} on the first failure with fireOnOneErrback', () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const d3 = new Deferred<string>();
    const dl = new DeferredList([d1, d2, d3], { fireOnOneErrback: true });
    const seen = outcomes(dl);
    d2.addErrback(() => undefined);
    d1.callback('1');
    expect(seen).toEqual([]);
    d2.errback(new GenericError('from d2'));
    expect(seen).toHaveLength(1);
    const f = seen[0] as Failure;
    expect(f).toBeInstanceOf(Failure);
    expect(f.check(FirstError)).toBe(FirstError);
    const first = f.value as FirstError;
    expect(first.name).toBe('FirstError');
    expect(first.index).toBe(1);
    expect(first.failure.value).toBeInstanceOf(GenericError);
    expect(first.failure.getErrorMessage()).toBe('from d2');
  });

  it('passes an input failure on to its later errbacks without consumeErrors', () => {
    const d1 = new Deferred<void>();
    const dl = new DeferredList([d1]);
    const trapped: Failure[] = [];
    d1.addErrback((f: Failure) => {
      trapped.push(f);
    });
    const seen = outcomes(dl);
    d1.errback(new GenericError('Bang'));
    expect(trapped.map((f) => f.getErrorMessage())).toEqual(['Bang']);
    const [entries] = seen as [[boolean, Failure][]];
    expect(entries[0]![1].getErrorMessage()).toBe('Bang');
  });

  it('turns an input failure into undefined for its later callbacks with consumeErrors', () => {
    const d1 = new Deferred<void>();
    const dl = new DeferredList([d1], { consumeErrors: true });
    const trapped: Failure[] = [];
    d1.addErrback((f: Failure) => {
      trapped.push(f);
    });
    const after = outcomes(d1);
    const seen = outcomes(dl);
    d1.errback(new GenericError('Bang'));
    expect(trapped).toEqual([]);
    expect(after).toEqual([undefined]);
    const [entries] = seen as [[boolean, Failure][]];
    expect(entries[0]![0]).toBe(false);
    expect(entries[0]![1].getErrorMessage()).toBe('Bang');
  });

  it('fails at once with fireOnOneErrback when an input has already failed', () => {
    const d1 = new Deferred<void>();
    const d2 = new Deferred<void>();
    d1.errback(new GenericError('Bang'));
    const dl = new DeferredList([d1, d2], { fireOnOneErrback: true });
    failureResultOf(dl, FirstError);
    d1.addErrback(() => undefined);
  });

  it('fires at once when every input has already fired', () => {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    d1.errback(new GenericError('Bang'));
    d2.callback(2);
    const seen = outcomes(new DeferredList([d1, d2]));
    expect(seen).toHaveLength(1);
    expect((seen[0] as unknown[])[1]).toEqual([true, 2]);
    d1.addErrback(() => undefined);
  });

  it('accepts promises as inputs', async () => {
    const dl = new DeferredList([Promise.resolve(1), succeed(2)]);
    expect(await dl).toEqual([
      [true, 1],
      [true, 2],
    ]);
  });

  it('is typed by its options: [result, index] only when no entry list can come', () => {
    type Entries = DeferredListEntry<number>[];
    type One = [result: number, index: number];
    expectTypeOf<DeferredListResult<number, { consumeErrors: true }>>().toEqualTypeOf<Entries>();
    expectTypeOf<
      DeferredListResult<number, { fireOnOneCallback: true; fireOnOneErrback: true }>
    >().toEqualTypeOf<One>();
    // every input failing still fires with the entries
    expectTypeOf<DeferredListResult<number, { fireOnOneCallback: true }>>().toEqualTypeOf<
      One | Entries
    >();
    expectTypeOf<DeferredListResult<number, { fireOnOneCallback: boolean }>>().toEqualTypeOf<
      One | Entries
    >();
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const dl = new DeferredList([a, b], { fireOnOneCallback: true });
    a.errback(new GenericError('a'));
    b.errback(new GenericError('b'));
    const [entries] = outcomes(dl) as [[boolean, Failure][]];
    expect(entries.map(([ok, f]) => [ok, f.getErrorMessage()])).toEqual([
      [false, 'a'],
      [false, 'b'],
    ]);
    outcomes(a);
    outcomes(b);
  });

  describe('cancel', () => {
    it.each([
      ['no options', {}],
      ['fireOnOneCallback', { fireOnOneCallback: true }],
    ])('cancels every input of an unfired list (%s), firing with the entries', (_, options) => {
      const one = new Deferred<void>();
      const two = new Deferred<void>();
      const dl = new DeferredList([one, two], options);
      dl.cancel();
      failureResultOf(one, CancelledError);
      failureResultOf(two, CancelledError);
      const [entries] = outcomes(dl) as [[boolean, unknown][]];
      expect(entries.map((e) => e[0])).toEqual([false, false]);
    });

    it('fires with the entries when an input canceller calls back', () => {
      const one = new Deferred<string>(fakeCallbackCanceller);
      const two = new Deferred<string>();
      const dl = new DeferredList([one, two]);
      dl.cancel();
      failureResultOf(two, CancelledError);
      const [entries] = outcomes(dl) as [[boolean, unknown][]];
      expect(entries[0]).toEqual([true, 'Callback Result']);
      expect(entries[1]![0]).toBe(false);
      expect((entries[1]![1] as Failure).check(CancelledError)).toBe(CancelledError);
    });

    it('fires with [result, index] when a canceller calls back, with fireOnOneCallback', () => {
      const one = new Deferred<string>(fakeCallbackCanceller);
      const two = new Deferred<string>();
      const dl = new DeferredList([one, two], { fireOnOneCallback: true });
      dl.cancel();
      failureResultOf(two, CancelledError);
      expect(outcomes(dl)).toEqual([['Callback Result', 0]]);
    });

    it('fails with FirstError of the CancelledError with fireOnOneErrback', () => {
      const one = new Deferred<void>();
      const two = new Deferred<void>();
      const dl = new DeferredList([one, two], { fireOnOneErrback: true });
      dl.cancel();
      failureResultOf(one, CancelledError);
      failureResultOf(two, CancelledError);
      const f = failureResultOf(dl, FirstError);
      expect((f.value as FirstError).failure.check(CancelledError)).toBe(CancelledError);
      expect((f.value as FirstError).index).toBe(0);
    });

    it('fires with the entries when every canceller calls back, with fireOnOneErrback', () => {
      const one = new Deferred<string>(fakeCallbackCanceller);
      const two = new Deferred<string>(fakeCallbackCanceller);
      const dl = new DeferredList([one, two], { fireOnOneErrback: true });
      dl.cancel();
      expect(outcomes(dl)).toEqual([
        [
          [true, 'Callback Result'],
          [true, 'Callback Result'],
        ],
      ]);
    });

    it('cancels the inputs given, not those added later to the caller’s array', () => {
      const one = new Deferred<void>();
      const two = new Deferred<void>();
      const args = [one, two];
      const dl = new DeferredList(args);
      const three = new Deferred<void>();
      args.push(three);
      dl.cancel();
      failureResultOf(one, CancelledError);
      failureResultOf(two, CancelledError);
      expect(three.called).toBe(false);
      outcomes(dl);
    });

    it('logs a canceller’s exception and still cancels the other inputs', () => {
      const one = new Deferred<void>(() => {
        throw new RangeError('test');
      });
      const two = new Deferred<void>();
      const dl = new DeferredList([one, two]);
      const [observed] = loggedWhile(() => dl.cancel());
      failureResultOf(two, CancelledError);
      const logged = observed.filter((e) => e.log_failure instanceof Failure);
      expect(logged).toHaveLength(1);
      expect((logged[0]!.log_failure as Failure).value).toBeInstanceOf(RangeError);
      one.callback(undefined);
      outcomes(dl);
    });

    it('does nothing once fired through fireOnOneCallback', () => {
      const one = new Deferred<void>();
      const two = new Deferred<void>();
      const dl = new DeferredList([one, two], { fireOnOneCallback: true });
      one.callback(undefined);
      dl.cancel();
      expect(two.called).toBe(false);
      expect(outcomes(dl)).toEqual([[undefined, 0]]);
    });

    it('does nothing once fired through fireOnOneErrback', () => {
      const one = new Deferred<void>();
      const two = new Deferred<void>();
      const dl = new DeferredList([one, two], { fireOnOneErrback: true });
      one.errback(new GenericError('test'));
      dl.cancel();
      expect(two.called).toBe(false);
      failureResultOf(one, GenericError);
      failureResultOf(dl, FirstError);
    });
  });
});

describe('unhandled failures of the companions', () => {
  it('are reported for an input only when its failure is left unconsumed', async () => {
    const reports = await unhandledReports(`
      const { DeferredList, DeferredQueue, Deferred, fail, gatherResults, race } = woven;
      // consumeErrors: the inputs' failures are handled; the list's own result is consumed too
      new DeferredList([fail(new Error('consumed-by-list'))], { consumeErrors: true }).addBoth(() => {});
      gatherResults([fail(new Error('consumed-by-gather'))], { consumeErrors: true }).addErrback(() => {});
      // race consumes its inputs, including those it cancels
      race([fail(new Error('consumed-by-race')), new Deferred()]).addBoth(() => {});
      race([new Deferred(), Promise.resolve(1)]).addBoth(() => {});
      // leaving a for await over a queue cancels its pending get, and that failure is observed
      const queue = new DeferredQueue();
      const it = queue[Symbol.asyncIterator]();
      const next = it.next();
      await it.return();
      await next;
      // the control: without consumeErrors, the input keeps its failure
      new DeferredList([fail(new Error('left-on-input'))]).addBoth(() => {});
    `);
    expect(reports).toEqual(['left-on-input']);
  });
});
