import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  DeferredQueue,
  type Deferred,
  type Failure,
  QueueOverflow,
  QueueUnderflow,
} from '../../lib/index.js';
import { outcomes } from './outcome-helpers.js';
import { abortListeners } from '../helpers.js';

describe('DeferredQueue', () => {
  it('serves waiting gets first, then buffers up to size, with backlog and size limits', () => {
    const N = 2;
    const M = 2;
    const queue = new DeferredQueue<number>({ size: N, backlog: M });
    let gotten: number[] = [];
    for (let i = 0; i < M; i++) {
      queue.get().addCallback((v) => {
        gotten.push(v);
      });
    }
    expect(() => queue.get()).toThrow(QueueUnderflow);
    for (let i = 0; i < M; i++) {
      queue.put(i);
      expect(gotten).toEqual(Array.from({ length: i + 1 }, (_, k) => k));
    }
    for (let i = 0; i < N; i++) {
      queue.put(N + i);
      expect(gotten).toEqual([0, 1]);
    }
    expect(() => queue.put(99)).toThrow(QueueOverflow);
    expect(queue.pending).toEqual([2, 3]);

    gotten = [];
    for (let i = 0; i < N; i++) {
      queue.get().addCallback((v) => {
        gotten.push(v);
      });
      expect(gotten).toEqual(Array.from({ length: i + 1 }, (_, k) => N + k));
    }
  });

  it('has no limits by default', () => {
    const queue = new DeferredQueue<number>();
    const gotten: number[] = [];
    for (let i = 0; i < 100; i++) {
      queue.get().addCallback((v) => {
        gotten.push(v);
      });
    }
    for (let i = 0; i < 200; i++) queue.put(i);
    expect(gotten).toEqual(Array.from({ length: 100 }, (_, k) => k));
    expect(queue.pending).toHaveLength(100);
    expect(queue.size).toBe(Number.POSITIVE_INFINITY);
  });

  it('with size 0 refuses every put, with backlog 0 every waiting get', () => {
    expect(() => new DeferredQueue({ size: 0 }).put(1)).toThrow(QueueOverflow);
    expect(() => new DeferredQueue({ backlog: 0 }).get()).toThrow(QueueUnderflow);
  });

  it('also takes Twisted’s positional (size, backlog)', () => {
    const queue = new DeferredQueue<number>(1, 0);
    expect([queue.size, queue.backlog]).toEqual([1, 0]);
    queue.put(1);
    expect(() => queue.put(2)).toThrow(QueueOverflow);
    queue.get();
    expect(() => queue.get()).toThrow(QueueUnderflow);
  });

  it('rejects negative limits', () => {
    expect(() => new DeferredQueue({ size: -1 })).toThrow(RangeError);
    expect(() => new DeferredQueue({ backlog: Number.NaN })).toThrow(RangeError);
  });

  it('keeps values in order across many puts and gets', () => {
    const queue = new DeferredQueue<number>();
    const gotten: number[] = [];
    for (let i = 0; i < 5000; i++) queue.put(i);
    for (let i = 0; i < 5000; i++) {
      queue.get().addCallback((v) => {
        gotten.push(v);
      });
      if (i % 3 === 0) queue.put(5000 + i);
    }
    expect(gotten).toEqual(Array.from({ length: 5000 }, (_, k) => k));
  });

  it('behaves as a model FIFO under any sequence of put, get and cancel', () => {
    type Op = { kind: 'put' } | { kind: 'get' } | { kind: 'cancel'; pick: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.constant<Op>({ kind: 'put' }),
      fc.constant<Op>({ kind: 'get' }),
      fc.nat(20).map((pick): Op => ({ kind: 'cancel', pick })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const queue = new DeferredQueue<number>();
        // the model: the values not yet taken, the gets still waiting, and
        // what each get must end up with
        const values: number[] = [];
        const live: Deferred<number>[] = [];
        const gets: { d: Deferred<number>; got: unknown[]; want: unknown }[] = [];
        const want = (d: Deferred<number>, w: unknown) => {
          const g = gets.find((x) => x.d === d);
          if (g) g.want = w;
        };
        let next = 0;
        for (const o of ops) {
          if (o.kind === 'put') {
            const v = next++;
            const waiter = live.shift();
            if (waiter) want(waiter, v);
            else values.push(v);
            queue.put(v);
          } else if (o.kind === 'get') {
            const d = queue.get();
            gets.push({ d, got: outcomes(d), want: 'waiting' });
            if (values.length > 0) want(d, values.shift());
            else live.push(d);
          } else if (live.length > 0) {
            const gone = live.splice(o.pick % live.length, 1)[0]!;
            want(gone, 'cancelled');
            gone.cancel();
          }
          expect(queue.pending).toEqual(values);
          expect(queue.waiting).toEqual(live);
        }
        for (const { got, want: w } of gets) {
          if (w === 'waiting') expect(got).toEqual([]);
          else if (w === 'cancelled')
            expect((got[0] as Failure).value).toBeInstanceOf(CancelledError);
          else expect(got).toEqual([w]);
        }
      }),
      { numRuns: 200 },
    );
  });

  describe('cancel', () => {
    it('does nothing to a get that already has its value', () => {
      const queue = new DeferredQueue<string>();
      const d = queue.get();
      queue.put('v');
      d.cancel();
      expect(outcomes(d)).toEqual(['v']);
    });

    it('fails a waiting get with CancelledError; a later put goes to the next get', () => {
      const queue = new DeferredQueue<string>();
      const d = queue.get();
      d.cancel();
      expect(queue.waiting).toEqual([]);
      const done: unknown[] = [];
      d.addErrback((f: Failure) => {
        f.trap(CancelledError);
        queue.put('x');
        return queue.get();
      }).addCallback((v) => {
        done.push(v);
      });
      expect(done).toEqual(['x']);
    });

    it('leaves the queue when an AbortSignal given through cancelOn aborts, leaking no listener', () => {
      const queue = new DeferredQueue<string>();
      const controller = new AbortController();
      const d = queue.get().cancelOn(controller.signal);
      expect(abortListeners(controller.signal)).toBe(1);
      controller.abort();
      expect(queue.waiting).toEqual([]);
      expect((outcomes(d)[0] as Failure).value).toBeInstanceOf(CancelledError);
      const served = new AbortController();
      const kept = queue.get().cancelOn(served.signal);
      queue.put('v');
      expect(outcomes(kept)).toEqual(['v']);
      expect(abortListeners(served.signal)).toBe(0);
    });

    it('frees backlog room when a waiting get is cancelled', () => {
      const queue = new DeferredQueue<number>({ backlog: 1 });
      const d = queue.get();
      expect(() => queue.get()).toThrow(QueueUnderflow);
      d.cancel();
      outcomes(d);
      const next = queue.get();
      queue.put(5);
      expect(outcomes(next)).toEqual([5]);
    });
  });

  describe('async iteration', () => {
    it('yields values in order, buffered ones first, as they are put', async () => {
      const queue = new DeferredQueue<number>();
      queue.put(1);
      queue.put(2);
      const seen: number[] = [];
      const consumer = (async () => {
        for await (const v of queue) {
          seen.push(v);
          if (v === 4) break;
        }
      })();
      await Promise.resolve();
      queue.put(3);
      queue.put(4);
      queue.put(5);
      await consumer;
      expect(seen).toEqual([1, 2, 3, 4]);
      expect(queue.pending).toEqual([5]);
      expect(queue.waiting).toEqual([]);
    });

    it('cancels its pending get on return(), so a later put is not lost', async () => {
      const queue = new DeferredQueue<string>();
      const it = queue[Symbol.asyncIterator]();
      const next = it.next();
      expect(queue.waiting).toHaveLength(1);
      await it.return?.();
      expect(queue.waiting).toEqual([]);
      await expect(next).resolves.toEqual({ done: true, value: undefined });
      queue.put('kept');
      expect(queue.pending).toEqual(['kept']);
      await expect(it.next()).resolves.toEqual({ done: true, value: undefined });
    });

    it('cancels the pending get of a consumer that stops waiting and returns the iterator', async () => {
      const queue = new DeferredQueue<string>();
      const it = queue[Symbol.asyncIterator]();
      // A consumer racing the next value against a stop signal, then leaving.
      let stop: () => void = () => {};
      const stopped = new Promise<'stop'>((resolve) => {
        stop = () => resolve('stop');
      });
      const consumer = (async () => {
        const winner = await Promise.race([it.next(), stopped]);
        if (winner === 'stop') await it.return?.();
        return winner;
      })();
      stop();
      expect(await consumer).toBe('stop');
      queue.put('after');
      expect(queue.pending).toEqual(['after']);
    });

    it('rejects next() with QueueUnderflow past the backlog', async () => {
      const queue = new DeferredQueue<number>({ backlog: 0 });
      await expect(queue[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(QueueUnderflow);
    });

    it('never ends by itself', async () => {
      const queue = new DeferredQueue<number>();
      const it = queue[Symbol.asyncIterator]();
      const next = it.next();
      let settled = false;
      next.then(() => {
        settled = true;
      });
      for (let i = 0; i < 10; i++) await Promise.resolve();
      expect(settled).toBe(false);
      queue.put(9);
      await expect(next).resolves.toEqual({ done: false, value: 9 });
    });
  });
});
