import { describe, expect, it } from 'vitest';
import {
  AlreadyCalled,
  AlreadyCancelled,
  CancelledError,
  Clock,
  Cooperator,
  Deferred,
  DelayedCall,
  deferLater,
  type Failure,
  LoopingCall,
  NotPaused,
  Reactor,
  ReactorAlreadyRunning,
  ReactorNotRunning,
  react,
  SchedulerStopped,
  TaskDone,
  TaskStopped,
} from '../../lib/index.js';

describe('DelayedCall', () => {
  it('is exported as a class: callLater returns an instance', () => {
    const clock = new Clock();
    const call = clock.callLater(1, () => {});
    expect(call).toBeInstanceOf(DelayedCall);
    expect(call.getTime()).toBe(1);
    expect(call.active()).toBe(true);
  });

  it('reset and delay move the call; cancel/reset/delay throw AlreadyCancelled or AlreadyCalled', () => {
    const clock = new Clock();
    const seen: number[] = [];
    const call = clock.callLater(1, () => seen.push(clock.seconds()));
    call.reset(3);
    expect(call.getTime()).toBe(3);
    call.delay(1);
    expect(call.getTime()).toBe(4);
    clock.advance(4);
    expect(seen).toEqual([4]);
    expect(call.called).toBe(true);
    expect(() => call.cancel()).toThrow(AlreadyCalled);
    expect(() => call.reset(1)).toThrow(AlreadyCalled);

    const other = clock.callLater(1, () => {});
    other.cancel();
    expect(other.cancelled).toBe(true);
    expect(() => other.cancel()).toThrow(AlreadyCancelled);
    expect(() => other.delay(1)).toThrow(AlreadyCancelled);
  });

  it('a negative or non-finite delay is a RangeError', () => {
    const clock = new Clock();
    expect(() => clock.callLater(-1, () => {})).toThrow(RangeError);
    expect(() => clock.callLater(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => clock.callLater(Number.POSITIVE_INFINITY, () => {})).toThrow(RangeError);
    const reactor = new Reactor();
    expect(() => reactor.callLater(-1, () => {})).toThrow(RangeError);
  });
});

describe('Clock', () => {
  it('seconds() starts at 0', () => {
    expect(new Clock().seconds()).toBe(0);
  });

  it('advance moves time first, then runs due calls in time order, ties in scheduling order', () => {
    const clock = new Clock();
    const seen: string[] = [];
    clock.callLater(2, () => seen.push(`b@${clock.seconds()}`));
    clock.callLater(1, () => seen.push(`a@${clock.seconds()}`));
    clock.callLater(2, () => seen.push(`c@${clock.seconds()}`));
    clock.advance(5);
    expect(seen).toEqual(['a@5', 'b@5', 'c@5']);
  });

  it('advance runs calls scheduled during the advance that are due', () => {
    const clock = new Clock();
    const seen: string[] = [];
    clock.callLater(1, () => {
      clock.callLater(0, () => seen.push('inner'));
      clock.callLater(5, () => seen.push('later'));
      seen.push('outer');
    });
    clock.advance(1);
    expect(seen).toEqual(['outer', 'inner']);
    expect(clock.getDelayedCalls()).toHaveLength(1);
  });

  it('pump advances by each timing in turn', () => {
    const clock = new Clock();
    const seen: number[] = [];
    clock.callLater(1.5, () => seen.push(clock.seconds()));
    clock.pump([1, 1, 1]);
    expect(seen).toEqual([2]);
    expect(clock.seconds()).toBe(3);
  });
});

describe('Reactor', () => {
  it('callWhenRunning is queued until run(), and immediate when running', async () => {
    const reactor = new Reactor();
    const seen: string[] = [];
    reactor.callWhenRunning(() => seen.push('queued'));
    expect(seen).toEqual([]);
    const done = reactor.run();
    expect(reactor.running).toBe(true);
    expect(seen).toEqual(['queued']);
    reactor.callWhenRunning(() => seen.push('immediate'));
    expect(seen).toEqual(['queued', 'immediate']);
    reactor.stop();
    await done;
    expect(reactor.running).toBe(false);
  });

  it('a second run() while running throws ReactorAlreadyRunning', async () => {
    const reactor = new Reactor();
    const done = reactor.run();
    expect(() => reactor.run()).toThrow(ReactorAlreadyRunning);
    reactor.stop();
    await done;
  });

  it('stop() when not running throws ReactorNotRunning', () => {
    expect(() => new Reactor().stop()).toThrow(ReactorNotRunning);
  });

  it("'before startup' triggers may return a Deferred that 'during' waits for", async () => {
    const reactor = new Reactor();
    const seen: string[] = [];
    const gate = new Deferred<void>();
    reactor.addSystemEventTrigger('before', 'startup', () => {
      seen.push('before');
      return gate;
    });
    reactor.addSystemEventTrigger('during', 'startup', () => seen.push('during'));
    reactor.callWhenRunning(() => seen.push('running'));
    const done = reactor.run();
    expect(seen).toEqual(['before']);
    gate.callback(undefined);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['before', 'during', 'running']);
    reactor.stop();
    await done;
  });

  it('shutdown triggers run after stop() returns, and shutdown waits for a before trigger', async () => {
    const reactor = new Reactor();
    const seen: string[] = [];
    const gate = new Deferred<void>();
    reactor.addSystemEventTrigger('before', 'shutdown', () => {
      seen.push('before');
      return gate;
    });
    reactor.addSystemEventTrigger('after', 'shutdown', () => seen.push('after'));
    const removed = reactor.addSystemEventTrigger('during', 'shutdown', () => seen.push('no'));
    reactor.removeSystemEventTrigger(removed);
    let stopped = false;
    const done = reactor.run().then(() => {
      stopped = true;
    });
    reactor.stop();
    expect(seen).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['before']);
    expect(stopped).toBe(false);
    gate.callback(undefined);
    await done;
    expect(seen).toEqual(['before', 'after']);
  });

  it('timers fire without run()', async () => {
    const reactor = new Reactor();
    const fired = new Promise<number>((resolve) => reactor.callLater(0, resolve, 42));
    expect(await fired).toBe(42);
  });
});

describe('LoopingCall', () => {
  it('start(interval) calls now, then every interval; the Deferred fires with the call on stop', () => {
    const clock = new Clock();
    const seen: number[] = [];
    const lc = new LoopingCall(() => seen.push(clock.seconds()));
    lc.clock = clock;
    const d = lc.start(1);
    expect(lc.running).toBe(true);
    expect(lc.interval).toBe(1);
    clock.advance(1);
    clock.advance(1);
    expect(seen).toEqual([0, 1, 2]);
    let result: unknown;
    d.addCallback((r) => {
      result = r;
    });
    lc.stop();
    expect(result).toBe(lc);
    expect(lc.running).toBe(false);
  });

  it('start(interval, false) waits one interval first', () => {
    const clock = new Clock();
    const seen: number[] = [];
    const lc = new LoopingCall(() => seen.push(clock.seconds()));
    lc.clock = clock;
    lc.start(2, false);
    expect(seen).toEqual([]);
    clock.advance(2);
    expect(seen).toEqual([2]);
    lc.stop();
  });

  it('fails if fn throws', () => {
    const clock = new Clock();
    const err = new Error('loop');
    const lc = new LoopingCall(() => {
      throw err;
    });
    lc.clock = clock;
    let failure: Failure | undefined;
    lc.start(1).addErrback((f: Failure) => {
      failure = f;
    });
    expect(failure?.value).toBe(err);
  });

  it('waits for a returned Deferred before the next call', () => {
    const clock = new Clock();
    const pending: Deferred<void>[] = [];
    const lc = new LoopingCall(() => {
      const d = new Deferred<void>();
      pending.push(d);
      return d;
    });
    lc.clock = clock;
    lc.start(1);
    clock.advance(3);
    expect(pending).toHaveLength(1);
    pending[0].callback(undefined);
    clock.advance(1);
    expect(pending).toHaveLength(2);
    pending[1].callback(undefined);
    lc.stop();
  });

  it('skips missed intervals; withCount reports how many intervals elapsed', () => {
    const clock = new Clock();
    const counts: number[] = [];
    const lc = LoopingCall.withCount((n: number) => counts.push(n));
    lc.clock = clock;
    lc.start(1);
    clock.advance(3.5);
    clock.advance(0.5);
    expect(counts).toEqual([1, 3, 1]);
    lc.stop();
  });
});

describe('deferLater', () => {
  it('calls fn after the delay and fires with its result; cancel unschedules', () => {
    const clock = new Clock();
    const d = deferLater(clock, 2, (x: number) => x * 3, 5);
    let result: unknown;
    d.addCallback((r) => {
      result = r;
    });
    clock.advance(2);
    expect(result).toBe(15);

    const e = deferLater(clock, 2, () => 1);
    e.cancel();
    let failure: Failure | undefined;
    e.addErrback((f: Failure) => {
      failure = f;
    });
    expect(failure?.check(CancelledError)).toBe(CancelledError);
    expect(clock.getDelayedCalls()).toHaveLength(0);
  });
});

describe('Cooperator', () => {
  function scheduler(): { run: () => void; cooperator: Cooperator } {
    const queue: (() => void)[] = [];
    const cooperator = new Cooperator({
      scheduler: (fn: () => void) => {
        queue.push(fn);
        return { cancel: () => {} };
      },
    });
    return {
      cooperator,
      run: () => {
        for (let i = 0; i < 100 && queue.length > 0; i++) queue.shift()?.();
      },
    };
  }

  it('coiterate returns a Deferred firing with the iterator once exhausted', () => {
    const { cooperator, run } = scheduler();
    const it3 = [1, 2, 3][Symbol.iterator]();
    let result: unknown;
    cooperator.coiterate(it3).addCallback((r) => {
      result = r;
    });
    run();
    expect(result).toBe(it3);
  });

  it("tasks have Twisted's errors: pause/resume/stop, NotPaused, TaskDone, TaskStopped", () => {
    const { cooperator, run } = scheduler();
    const task = cooperator.cooperate([1, 2][Symbol.iterator]());
    expect(() => task.resume()).toThrow(NotPaused);
    task.pause();
    task.resume();
    let failure: Failure | undefined;
    task.whenDone().addErrback((f: Failure) => {
      failure = f;
    });
    task.stop();
    expect(failure?.check(TaskStopped)).toBe(TaskStopped);
    expect(() => task.stop()).toThrow(TaskStopped);
    run();
    const finished = cooperator.cooperate([1][Symbol.iterator]());
    run();
    expect(() => finished.pause()).toThrow(TaskDone);
  });

  it('stop() stops every task with SchedulerStopped', () => {
    const { cooperator } = scheduler();
    const task = cooperator.cooperate([1][Symbol.iterator]());
    let failure: Failure | undefined;
    task.whenDone().addErrback((f: Failure) => {
      failure = f;
    });
    cooperator.stop();
    expect(failure?.check(SchedulerStopped)).toBe(SchedulerStopped);
  });
});

describe('react', () => {
  it('runs main, stops when it settles and sets process.exitCode', async () => {
    const before = process.exitCode;
    try {
      const reactor = new Reactor();
      let sawArgs: unknown[] = [];
      await react(
        async (r: Reactor, a: string) => {
          sawArgs = [r, a];
        },
        ['x'],
        reactor,
      );
      expect(sawArgs).toEqual([reactor, 'x']);
      expect(reactor.running).toBe(false);
      expect(process.exitCode).toBe(0);

      await react(async () => Promise.reject(new Error('main failed')), [], new Reactor());
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = before;
    }
  });
});
