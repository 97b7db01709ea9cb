import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  Deferred,
  DeferredSemaphore,
  type Failure,
  gatherResults,
  NotLockedError,
} from '../../lib/index.js';

describe('DeferredSemaphore', () => {
  it('lets limit holders in at once and queues the rest in order', () => {
    const N = 13;
    const sem = new DeferredSemaphore(N);
    expect(sem.limit).toBe(N);
    expect(sem.tokens).toBe(N);
    let counter = 0;
    for (let i = 1; i <= N; i++) {
      sem.acquire().addCallback((s) => {
        expect(s).toBe(sem);
        counter += 1;
      });
      expect(counter).toBe(i);
      expect(sem.tokens).toBe(N - i);
    }
    const outcome: string[] = [];
    const cancelled = sem.acquire().addCallbacks(
      () => {
        outcome.push('acquired');
      },
      (f: Failure) => {
        f.trap(CancelledError);
        outcome.push('cancelled');
      },
    );
    cancelled.cancel();
    expect(outcome).toEqual(['cancelled']);
    expect(sem.waiting).toEqual([]);

    sem.acquire().addCallback(() => {
      counter += 1;
    });
    expect(counter).toBe(N);
    sem.release();
    expect(counter).toBe(N + 1);
    expect(sem.tokens).toBe(0);
    for (let i = 1; i <= N; i++) {
      sem.release();
      expect(sem.tokens).toBe(i);
    }
    expect(counter).toBe(N + 1);
  });

  it('throws NotLockedError when released more than acquired', () => {
    const sem = new DeferredSemaphore(2);
    sem.acquire();
    sem.release();
    expect(() => sem.release()).toThrow(NotLockedError);
    expect(sem.tokens).toBe(2);
  });

  it('requires an integer tokens >= 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => new DeferredSemaphore(bad)).toThrow(RangeError);
    }
  });

  it('run calls fn with its arguments and releases when its Deferred fires', () => {
    const sem = new DeferredSemaphore(13);
    const control = new Deferred<void>();
    let helperArg: unknown;
    const unique = {};
    const results: unknown[] = [];
    sem
      .run((arg: object) => {
        helperArg = arg;
        return control;
      }, unique)
      .addCallback((r) => {
        results.push(r);
      });
    expect(helperArg).toBe(unique);
    expect(sem.tokens).toBe(12);
    expect(results).toEqual([]);
    control.callback(undefined);
    expect(results).toEqual([undefined]);
    expect(sem.tokens).toBe(13);
  });

  it('run never has more than limit calls in flight', async () => {
    const sem = new DeferredSemaphore(3);
    const gates = Array.from({ length: 10 }, () => new Deferred<number>());
    let inFlight = 0;
    let peak = 0;
    const all = gatherResults(
      gates.map((gate, i) =>
        sem.run(() => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          return gate.addCallback(() => {
            inFlight -= 1;
            return i;
          });
        }),
      ),
    );
    for (const gate of gates) gate.callback(0);
    expect(await all).toEqual(gates.map((_, i) => i));
    expect(peak).toBe(3);
    expect(sem.tokens).toBe(3);
  });

  it('matches a model of tokens and a FIFO of waiters under any acquire/release/cancel', () => {
    type Op = { kind: 'acquire' } | { kind: 'release' } | { kind: 'cancel'; pick: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.constant<Op>({ kind: 'acquire' }),
      fc.constant<Op>({ kind: 'release' }),
      fc.nat(20).map((pick): Op => ({ kind: 'cancel', pick })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 60 }), (limit, ops) => {
        const sem = new DeferredSemaphore(limit);
        let held = 0;
        const waiting: number[] = [];
        const order: number[] = [];
        const expectedOrder: number[] = [];
        let id = 0;
        const byId = new Map<number, Deferred<DeferredSemaphore>>();
        for (const o of ops) {
          if (o.kind === 'acquire') {
            const me = id++;
            const d = sem.acquire();
            byId.set(me, d);
            d.addCallbacks(
              () => {
                order.push(me);
              },
              (f: Failure) => {
                f.trap(CancelledError);
              },
            );
            if (held < limit) {
              held += 1;
              expectedOrder.push(me);
            } else waiting.push(me);
          } else if (o.kind === 'release') {
            if (held === 0) {
              expect(() => sem.release()).toThrow(NotLockedError);
              continue;
            }
            sem.release();
            const next = waiting.shift();
            if (next === undefined) held -= 1;
            else expectedOrder.push(next);
          } else if (waiting.length > 0) {
            const gone = waiting.splice(o.pick % waiting.length, 1)[0]!;
            byId.get(gone)?.cancel();
          }
          expect(sem.tokens).toBe(limit - held);
          expect(sem.waiting).toEqual(waiting.map((w) => byId.get(w)));
          expect(order).toEqual(expectedOrder);
        }
      }),
      { numRuns: 200 },
    );
  });

  describe('cancel', () => {
    it('does nothing to an acquire that already holds a token', () => {
      const sem = new DeferredSemaphore(1);
      const d = sem.acquire();
      let errbacks = 0;
      d.addErrback(() => {
        errbacks += 1;
      });
      d.cancel();
      expect(errbacks).toBe(0);
      expect(sem.tokens).toBe(0);
    });

    it('fails a waiting acquire with CancelledError and drops it from the waiting list', () => {
      const sem = new DeferredSemaphore(1);
      sem.acquire();
      const d = sem.acquire();
      d.cancel();
      const failures: Failure[] = [];
      d.addErrback((f: Failure) => {
        failures.push(f);
      });
      expect(failures[0]!.check(CancelledError)).toBe(CancelledError);
      expect(sem.waiting).toEqual([]);
      sem.release();
      expect(sem.tokens).toBe(1);
    });
  });
});
