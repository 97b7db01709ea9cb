import { describe, expect, it } from 'vitest';
import {
  Clock,
  type CooperativeIterator,
  CooperativeTask,
  Cooperator,
  cooperate,
  Deferred,
  type Failure,
  NotPaused,
  SchedulerStopped,
  TaskDone,
  TaskFailed,
  TaskStopped,
} from '../../lib/index.js';
import { turns } from '../helpers.js';

/** A scheduler run by hand, as Twisted's test FakeScheduler. */
class FakeScheduler {
  work: { fn: () => void; cancelled: boolean; cancel(): void }[] = [];
  readonly schedule = (fn: () => void) => {
    const unit = {
      fn,
      cancelled: false,
      cancel() {
        unit.cancelled = true;
      },
    };
    this.work.push(unit);
    return unit;
  };
  pump(): void {
    const work = this.work;
    this.work = [];
    for (const unit of work) if (!unit.cancelled) unit.fn();
  }
}

class UnhandledException extends Error {}

/** A cooperator doing one unit of work per tick, and a controllable worker task. */
function runState() {
  const scheduler = new FakeScheduler();
  const cooperator = new Cooperator({
    scheduler: scheduler.schedule,
    terminationPredicateFactory: () => () => true,
  });
  const work: unknown[] = [];
  const next = { defer: false, stop: false, die: false };
  function* worker(): Generator<unknown> {
    let i = 0;
    for (;;) {
      i++;
      if (next.defer) {
        next.defer = false;
        const d = new Deferred();
        work.push(d);
        yield d;
      } else if (next.stop) {
        return;
      } else if (next.die) {
        throw new UnhandledException();
      } else {
        work.push(i);
        yield i;
      }
    }
  }
  const iterator = worker();
  const task = cooperator.cooperate(iterator);
  cooperator.start();
  return { scheduler, cooperator, work, next, task, iterator };
}

function collect<T>(d: Deferred<T>): { results: T[]; failures: Failure[] } {
  const results: T[] = [];
  const failures: Failure[] = [];
  d.addCallbacks(
    (r) => {
      results.push(r);
    },
    (f) => {
      failures.push(f);
    },
  );
  return { results, failures };
}

describe('Cooperator', () => {
  it('refuses new tasks once stopped: they fail with SchedulerStopped', () => {
    const c = new Cooperator({ scheduler: new FakeScheduler().schedule });
    c.stop();
    const out = collect(c.coiterate([][Symbol.iterator]()));
    expect(out.failures[0]?.check(SchedulerStopped)).toBe(SchedulerStopped);
    const own: Deferred<CooperativeIterator<never>> = new Deferred();
    const out2 = collect(c.coiterate([][Symbol.iterator](), own));
    expect(out2.failures).toHaveLength(1);
  });

  it('stopping it fails running tasks with SchedulerStopped before they finish', () => {
    const scheduler = new FakeScheduler();
    const c = new Cooperator({ scheduler: scheduler.schedule });
    let ran = 0;
    const out = collect(
      c.coiterate(
        (function* () {
          for (let i = 0; i < 3; i++) {
            ran++;
            yield i;
          }
        })(),
      ),
    );
    c.stop();
    scheduler.pump();
    expect(ran).toBe(0);
    expect(out.failures[0]?.check(SchedulerStopped)).toBe(SchedulerStopped);
    expect(scheduler.work.every((u) => u.cancelled)).toBe(true);
  });

  it('fails a task paused on a yielded Deferred once that Deferred fires after a stop', () => {
    const scheduler = new FakeScheduler();
    const c = new Cooperator({ scheduler: scheduler.schedule });
    const outstanding = new Deferred();
    const out = collect(
      c.coiterate(
        (function* () {
          yield outstanding;
        })(),
      ),
    );
    scheduler.pump();
    c.stop();
    outstanding.callback('arglebargle'); // resuming on a stopped cooperator fails the task
    expect(out.results).toEqual([]);
    expect(out.failures[0]?.check(SchedulerStopped)).toBe(SchedulerStopped);
  });

  it("fails coiterate's Deferred with the iterator's error", () => {
    const scheduler = new FakeScheduler();
    const c = new Cooperator({ scheduler: scheduler.schedule });
    const out = collect(
      c.coiterate(
        // biome-ignore lint/correctness/useYield: an iterator that fails at once
        (function* () {
          throw new UnhandledException();
        })(),
      ),
    );
    scheduler.pump();
    expect(out.failures[0]?.check(UnhandledException)).toBe(UnhandledException);
  });

  it("fails coiterate's Deferred when a yielded Deferred fails later", () => {
    const scheduler = new FakeScheduler();
    const c = new Cooperator({ scheduler: scheduler.schedule });
    const d = new Deferred();
    const out = collect(
      c.coiterate(
        (function* () {
          yield d;
        })(),
      ),
    );
    scheduler.pump();
    expect(out.failures).toEqual([]);
    d.errback(new UnhandledException());
    expect(out.failures[0]?.check(UnhandledException)).toBe(UnhandledException);
  });

  it('fails when a yielded Deferred has already failed', () => {
    const scheduler = new FakeScheduler();
    const c = new Cooperator({ scheduler: scheduler.schedule });
    const d = new Deferred();
    d.errback(new UnhandledException());
    const out = collect(
      c.coiterate(
        (function* () {
          yield d;
        })(),
      ),
    );
    scheduler.pump();
    expect(out.failures[0]?.check(UnhandledException)).toBe(UnhandledException);
  });

  it('interleaves tasks, one unit each in turn', () => {
    const scheduler = new FakeScheduler();
    const c = new Cooperator({ scheduler: scheduler.schedule });
    const output: number[] = [];
    const tasks = [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ];
    const ds = tasks.map((values) =>
      c.coiterate(
        (function* () {
          for (const v of values) {
            output.push(v);
            yield v;
          }
        })(),
      ),
    );
    for (let i = 0; i < 10 && scheduler.work.length > 0; i++) scheduler.pump();
    expect(output).toEqual([1, 4, 7, 2, 5, 8, 3, 6, 9]);
    expect(ds.every((d) => d.called)).toBe(true);
  });

  it('ends a tick when the termination predicate says so', () => {
    const scheduler = new FakeScheduler();
    let predicateCalls = 0;
    const c = new Cooperator({
      scheduler: scheduler.schedule,
      terminationPredicateFactory: () => () => ++predicateCalls % 5 === 0,
    });
    const output: number[] = [];
    c.coiterate(
      (function* () {
        for (let i = 0; i < 20; i++) {
          output.push(i);
          yield;
        }
      })(),
    );
    scheduler.pump();
    expect(output).toHaveLength(5);
    scheduler.pump();
    expect(output).toHaveLength(10);
  });

  it('schedules only once when a whenDone callback coiterates again', () => {
    const calls: (() => void)[] = [];
    let overlapping = false;
    const c = new Cooperator({
      scheduler: (fn) => {
        if (calls.length > 0) overlapping = true;
        calls.push(fn);
        return { cancel() {} };
      },
      terminationPredicateFactory: () => () => true,
    });
    const done: unknown[] = [];
    c.coiterate([][Symbol.iterator]()).addCallback(() => {
      c.coiterate([][Symbol.iterator]()).addBoth((r) => {
        done.push(r);
      });
    });
    for (let work = 0; done.length === 0 && work < 50; work++) calls.shift()?.();
    expect(done).toHaveLength(1);
    expect(overlapping).toBe(false);
  });

  it('cancels the scheduled tick when the last task is removed, and reschedules for a new one', () => {
    const scheduled: { fn: () => void; cancelled: boolean; cancel(): void }[] = [];
    const c = new Cooperator({
      scheduler: (fn) => {
        const unit = {
          fn,
          cancelled: false,
          cancel() {
            unit.cancelled = true;
          },
        };
        scheduled.push(unit);
        return unit;
      },
    });
    const task1 = c.cooperate([1, 2][Symbol.iterator]());
    const task2 = c.cooperate([1, 2][Symbol.iterator]());
    expect(scheduled).toHaveLength(1);
    task1.stop();
    expect(scheduled[0]?.cancelled).toBe(false);
    task2.stop();
    expect(scheduled[0]?.cancelled).toBe(true);
    c.cooperate([1, 2][Symbol.iterator]());
    expect(scheduled).toHaveLength(2);
    expect(scheduled[1]?.cancelled).toBe(false);
  });

  it('reports running when started, not before start() or after stop()', () => {
    expect(new Cooperator().running).toBe(true);
    const c = new Cooperator({ started: false });
    expect(c.running).toBe(false);
    c.start();
    expect(c.running).toBe(true);
    c.stop();
    expect(c.running).toBe(false);
  });

  it('does not step tasks before start()', () => {
    const scheduler = new FakeScheduler();
    const c = new Cooperator({ scheduler: scheduler.schedule, started: false });
    c.cooperate([1][Symbol.iterator]());
    expect(scheduler.work).toHaveLength(0);
    c.start();
    expect(scheduler.work).toHaveLength(1);
  });

  it('runs on a Clock, waiting for yielded Promises', async () => {
    const clock = new Clock();
    const c = new Cooperator({ clock });
    const seen: number[] = [];
    const d = c.coiterate(
      (function* () {
        seen.push(1);
        yield Promise.resolve();
        seen.push(2);
      })(),
    );
    clock.advance(0);
    expect(seen).toEqual([1]);
    await Promise.resolve();
    await Promise.resolve();
    clock.advance(0);
    clock.advance(0);
    expect(seen).toEqual([1, 2]);
    expect(d.called).toBe(true);
  });

  it('iterates async iterators, one step per unit', async () => {
    const clock = new Clock();
    const c = new Cooperator({ clock });
    const seen: number[] = [];
    async function* gen() {
      seen.push(1);
      yield 1;
      seen.push(2);
    }
    const d = c.coiterate(gen());
    for (let i = 0; i < 10 && !d.called; i++) {
      clock.advance(0);
      await turns();
    }
    expect(seen).toEqual([1, 2]);
    expect(d.called).toBe(true);
  });

  it('accepts iterables', () => {
    const scheduler = new FakeScheduler();
    const c = new Cooperator({ scheduler: scheduler.schedule });
    const out = collect(c.coiterate([1, 2, 3]));
    for (let i = 0; i < 5; i++) scheduler.pump();
    expect(out.results).toHaveLength(1);
  });

  it('runs long iterations in slices, letting I/O and timers through', async () => {
    const c = new Cooperator(); // the real reactor and 10 ms slices
    let timerFired = false;
    let stepsBeforeTimer = -1;
    let steps = 0;
    setTimeout(() => {
      timerFired = true;
      stepsBeforeTimer = steps;
    }, 0);
    const started = performance.now();
    await c.coiterate(
      (function* () {
        // about 60 ms of busy work in small units, bounded by a step count
        while (performance.now() - started < 60 && steps < 1e8) {
          steps++;
          yield;
        }
      })(),
    );
    expect(timerFired).toBe(true);
    expect(stepsBeforeTimer).toBeLessThan(steps);
  });
});

describe('CooperativeTask', () => {
  it('is made by cooperate', () => {
    const { task } = runState();
    expect(task).toBeInstanceOf(CooperativeTask);
  });

  it('stops doing work while paused, and goes on once resumed', () => {
    const { scheduler, work, task } = runState();
    scheduler.pump();
    expect(work).toEqual([1]);
    scheduler.pump();
    expect(work).toEqual([1, 2]);
    task.pause();
    scheduler.pump();
    expect(work).toEqual([1, 2]);
    task.resume();
    expect(work).toEqual([1, 2]);
    scheduler.pump();
    expect(work).toEqual([1, 2, 3]);
  });

  it('resume() throws NotPaused when not paused', () => {
    const { task } = runState();
    expect(() => task.resume()).toThrow(NotPaused);
    task.pause();
    task.resume();
    expect(() => task.resume()).toThrow(NotPaused);
  });

  it('pauses nest: two pauses need two resumes', () => {
    const { scheduler, work, task } = runState();
    task.pause();
    scheduler.pump();
    task.pause();
    scheduler.pump();
    task.resume();
    scheduler.pump();
    expect(work).toEqual([]);
    task.resume();
    scheduler.pump();
    expect(work).toEqual([1]);
  });

  it('waits for a yielded Deferred and for resume() when paused meanwhile', () => {
    const { scheduler, work, next, task } = runState();
    next.defer = true;
    scheduler.pump();
    expect(work).toHaveLength(1);
    expect(work[0]).toBeInstanceOf(Deferred);
    scheduler.pump();
    expect(work).toHaveLength(1);
    task.pause();
    scheduler.pump();
    task.resume();
    scheduler.pump();
    expect(work).toHaveLength(1);
    (work[0] as Deferred).callback('STUFF!');
    scheduler.pump();
    expect(work).toEqual([work[0], 2]);
  });

  it('whenDone fires each Deferred with the iterator, independently', () => {
    const { scheduler, next, task, iterator } = runState();
    const d1 = task.whenDone();
    const d2 = task.whenDone();
    const r1: unknown[] = [];
    const r2: unknown[] = [];
    d1.addCallback((r) => {
      r1.push(r);
      return 1;
    }).addCallback((x) => r1.push(x));
    d2.addCallback((r) => {
      r2.push(r);
      return 2;
    }).addCallback((x) => r2.push(x));
    next.stop = true;
    scheduler.pump();
    expect(r1).toEqual([iterator, 1]);
    expect(r2).toEqual([iterator, 2]);
  });

  it('whenDone fails with the error the iterator throws', () => {
    const { scheduler, next, task } = runState();
    const out = collect(task.whenDone());
    next.die = true;
    scheduler.pump();
    expect(out.failures[0]?.check(UnhandledException)).toBe(UnhandledException);
  });

  it('whenDone fails with TaskStopped when the task is stopped', () => {
    const { task } = runState();
    const out = collect(task.whenDone());
    task.stop();
    expect(out.failures[0]?.check(TaskStopped)).toBe(TaskStopped);
  });

  it('whenDone succeeds at once when already done', () => {
    const { scheduler, next, task, iterator } = runState();
    next.stop = true;
    scheduler.pump();
    expect(collect(task.whenDone()).results).toEqual([iterator]);
  });

  it('stop() removes it from the run; later stop/pause throw TaskStopped', () => {
    const { scheduler, work, task } = runState();
    task.stop();
    scheduler.pump();
    expect(work).toEqual([]);
    expect(() => task.stop()).toThrow(TaskStopped);
    expect(() => task.pause()).toThrow(TaskStopped);
    scheduler.pump();
    expect(work).toEqual([]);
  });

  it('resuming a paused, stopped task does nothing', () => {
    const { scheduler, work, task } = runState();
    task.pause();
    task.stop();
    task.resume();
    scheduler.pump();
    expect(work).toEqual([]);
  });

  it('stopping a task waiting on a Deferred ignores that Deferred later', () => {
    const { scheduler, work, next, task } = runState();
    next.defer = true;
    scheduler.pump();
    const out = collect(task.whenDone());
    task.stop();
    expect(out.failures[0]?.check(TaskStopped)).toBe(TaskStopped);
    (work[0] as Deferred).callback(undefined);
    scheduler.pump();
    expect(work).toHaveLength(1);
  });

  it('stop() after exhaustion throws TaskDone, after an error TaskFailed', () => {
    const a = runState();
    a.next.stop = true;
    a.scheduler.pump();
    expect(() => a.task.stop()).toThrow(TaskDone);
    const b = runState();
    b.task.whenDone().addErrback(() => {});
    b.next.die = true;
    b.scheduler.pump();
    expect(() => b.task.stop()).toThrow(TaskFailed);
    const e = (() => {
      try {
        b.task.pause();
      } catch (error) {
        return error as TaskFailed;
      }
    })();
    expect(e?.name).toBe('TaskFailed');
    expect(e?.code).toBe('ERR_TASK_FAILED');
  });

  it('stopping the cooperator from a whenDone callback is safe', () => {
    const { scheduler, cooperator, next, task } = runState();
    const other = cooperator.cooperate([1, 2, 3][Symbol.iterator]());
    const otherOut = collect(other.whenDone());
    task.whenDone().addCallback(() => cooperator.stop());
    next.stop = true;
    scheduler.pump();
    scheduler.pump();
    expect(otherOut.failures[0]?.check(SchedulerStopped)).toBe(SchedulerStopped);
  });
});

describe('cooperate', () => {
  it('runs a generator on the default cooperator', async () => {
    const seen: number[] = [];
    const task = cooperate(
      (function* () {
        seen.push(1);
        yield;
        seen.push(2);
      })(),
    );
    await task.whenDone();
    expect(seen).toEqual([1, 2]);
  });
});

describe('coiterate', () => {
  it('returns a Deferred firing with the iterator once exhausted', () => {
    const scheduler = new FakeScheduler();
    const c = new Cooperator({ scheduler: scheduler.schedule });
    const iterator = [1, 2, 3][Symbol.iterator]();
    const out = collect(c.coiterate(iterator));
    for (let i = 0; i < 5; i++) scheduler.pump();
    expect(out.results).toEqual([iterator]);
  });
});
