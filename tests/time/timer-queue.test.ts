// The Reactor's internal queue, tested directly: ordering, and that cancelled
// or rescheduled calls leave nothing behind.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelayedCall, type DelayedCallOwner } from '../../lib/time/delayed-call.js';
import { TimerQueue } from '../../lib/time/timer-queue.js';

function setup() {
  const queue = new TimerQueue();
  let now = 0;
  const owner: DelayedCallOwner = {
    seconds: () => now,
    callCancelled: (call) => queue.remove(call),
    callRescheduled: (call) => queue.update(call),
  };
  const made = new Map<DelayedCall, number>();
  const schedule = (time: number, label: unknown = time) => {
    const call = new DelayedCall(time, () => label, [], owner);
    made.set(call, made.size);
    queue.push(call);
    return call;
  };
  // DelayedCall has only private fields, so toEqual would find any two equal:
  // compare calls by identity, as their creation numbers.
  const ids = (calls: Iterable<DelayedCall | undefined>) =>
    [...calls].map((call) => (call === undefined ? -1 : (made.get(call) ?? -2)));
  const idSet = (calls: Iterable<DelayedCall | undefined>) => ids(calls).sort((a, b) => a - b);
  const drain = () => {
    const out: DelayedCall[] = [];
    for (let call = queue.pop(); call !== undefined; call = queue.pop()) out.push(call);
    return out;
  };
  return {
    queue,
    schedule,
    drain,
    ids,
    idSet,
    setNow: (t: number) => {
      now = t;
    },
  };
}

describe('TimerQueue', () => {
  it('pops in time order, ties in scheduling order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const { schedule, drain, ids } = setup();
        const calls = times.map((t) => schedule(t));
        const expected = [...calls].sort((a, b) => a.getTime() - b.getTime()); // stable
        expect(ids(drain())).toEqual(ids(expected));
      }),
    );
  });

  it('skips cancelled calls and keeps order with random cancels and reschedules (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            time: fc.integer({ min: 0, max: 50 }),
            op: fc.constantFrom('keep', 'cancel', 'reset', 'delay'),
          }),
          { maxLength: 300 },
        ),
        (specs) => {
          const { queue, schedule, drain, idSet } = setup();
          const calls = specs.map((s) => schedule(s.time));
          specs.forEach((s, i) => {
            const call = calls[i] as DelayedCall;
            if (s.op === 'cancel') call.cancel();
            else if (s.op === 'reset') call.reset((s.time * 7) % 13);
            else if (s.op === 'delay') call.delay(3);
          });
          const live = calls.filter((c) => c.active());
          expect(queue.size).toBe(live.length);
          expect(idSet(queue.toArray())).toEqual(idSet(live));
          const popped = drain();
          expect(idSet(popped)).toEqual(idSet(live));
          expect(popped).toHaveLength(live.length);
          for (let i = 1; i < popped.length; i++) {
            expect((popped[i] as DelayedCall).getTime()).toBeGreaterThanOrEqual(
              (popped[i - 1] as DelayedCall).getTime(),
            );
          }
          expect(queue.entries).toBe(0);
        },
      ),
    );
  });

  it('holds no entries once 100,000 scheduled calls are all cancelled', () => {
    const { queue, schedule } = setup();
    const calls: DelayedCall[] = [];
    for (let i = 0; i < 100_000; i++) calls.push(schedule(Math.random() * 100));
    expect(queue.entries).toBe(100_000);
    for (const call of calls) call.cancel();
    expect(queue.size).toBe(0);
    expect(queue.entries).toBe(0);
    expect(queue.toArray()).toEqual([]);
  });

  it('keeps stale entries bounded by the live ones while cancelling', () => {
    const { queue, schedule } = setup();
    const calls: DelayedCall[] = [];
    for (let i = 0; i < 10_000; i++) calls.push(schedule(i % 97));
    for (let i = 0; i < 9_000; i++) {
      (calls[i] as DelayedCall).cancel();
      expect(queue.entries).toBeLessThanOrEqual(2 * queue.size + 65);
    }
    expect(queue.size).toBe(1_000);
  });

  it('still pops in order after compactions over many milliseconds', () => {
    const { queue, schedule, drain, ids } = setup();
    const calls: DelayedCall[] = [];
    for (let i = 0; i < 5_000; i++) calls.push(schedule(((i * 7919) % 5_000) / 1000));
    calls.forEach((call, i) => {
      if (i % 5 !== 0) call.cancel();
    });
    expect(queue.entries).toBeLessThanOrEqual(2 * queue.size + 65);
    const live = calls.filter((_, i) => i % 5 === 0);
    expect(ids(drain())).toEqual(ids([...live].sort((a, b) => a.getTime() - b.getTime())));
  });

  it('moves a reset call to its new place, leaving one live entry', () => {
    const { queue, schedule, drain, setNow, ids } = setup();
    const a = schedule(5, 'a');
    const b = schedule(10, 'b');
    setNow(1);
    a.reset(20); // now due at 21
    b.reset(0); // now due at 1
    expect(queue.size).toBe(2);
    expect(ids(drain())).toEqual(ids([b, a]));
  });
});

describe('TimerQueue under interleaved operations', () => {
  type Op =
    | { kind: 'push'; tick: number }
    | { kind: 'cancel'; pick: number }
    | { kind: 'reset'; pick: number; tick: number }
    | { kind: 'pop' };
  const tick = fc.integer({ min: 0, max: 40 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('push' as const), tick }),
    fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('reset' as const), pick: fc.nat(), tick }),
    fc.record({ kind: fc.constant('pop' as const) }),
  );

  it('pops exactly what a sorted model pops, with pushes and resets while a millisecond is being consumed (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1.79e9),
        fc.array(op, { minLength: 10, maxLength: 300, size: 'large' }),
        (base, ops) => {
          const { queue, schedule, setNow, ids } = setup();
          // Quarter-millisecond steps: several calls per millisecond, some exactly tied.
          const at = (t: number) => base + t * 0.00025;
          setNow(base);
          // The model: pending calls in scheduling order, each with its current time.
          let model: DelayedCall[] = [];
          const pending = () => model.filter((c) => c.active());
          for (const o of ops) {
            const live = pending();
            if (o.kind === 'push') {
              model.push(schedule(at(o.tick)));
            } else if (o.kind === 'cancel' && live.length > 0) {
              (live[o.pick % live.length] as DelayedCall).cancel();
            } else if (o.kind === 'reset' && live.length > 0) {
              const call = live[o.pick % live.length] as DelayedCall;
              call.reset(o.tick * 0.00025);
              // A rescheduled call queues behind calls already queued for the same time.
              model = [...model.filter((c) => c !== call), call];
            } else if (o.kind === 'pop') {
              const expected = [...live].sort((a, b) => a.getTime() - b.getTime())[0];
              const got = queue.pop();
              expect(got).toBe(expected);
              if (got !== undefined) model = model.filter((c) => c !== got);
            }
            expect(queue.size).toBe(model.filter((c) => c.active()).length);
          }
          const rest = [...pending()].sort((a, b) => a.getTime() - b.getTime());
          const drained: DelayedCall[] = [];
          for (let call = queue.pop(); call !== undefined; call = queue.pop()) drained.push(call);
          expect(ids(drained)).toEqual(ids(rest));
          expect(queue.entries).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pops only calls due by now', () => {
    const { queue, schedule } = setup();
    const a = schedule(1);
    const b = schedule(0.5);
    expect(queue.popDue(0.4)).toBeUndefined();
    expect(queue.popDue(0.9)).toBe(b);
    expect(queue.popDue(0.9)).toBeUndefined();
    expect(queue.popDue(1)).toBe(a);
    expect(queue.size).toBe(0);
  });

  it('holds calls queued during a round back until it ends, then keeps scheduling order', () => {
    const { queue, schedule, ids, idSet } = setup();
    const a = schedule(1, 'a');
    queue.beginRound();
    expect(queue.popDue(5)).toBe(a);
    const b = schedule(1, 'b');
    const c = schedule(0.5, 'c');
    const d = schedule(1, 'd');
    const gone = schedule(0.1, 'gone');
    gone.cancel();
    expect(queue.size).toBe(3);
    expect(idSet(queue.toArray())).toEqual(idSet([b, c, d]));
    expect(queue.popDue(5)).toBeUndefined(); // held back
    queue.endRound();
    expect(ids([queue.popDue(5), queue.popDue(5), queue.popDue(5)])).toEqual(ids([c, b, d]));
    expect(queue.entries).toBe(0);
  });
});
