import { afterEach, describe, expect, it } from 'vitest';
import {
  DelayedCall,
  Deferred,
  Reactor,
  ReactorAlreadyRunning,
  ReactorNotRunning,
  reactor,
} from '../../lib/index.js';
import { captureLog, turns } from '../helpers.js';

// Reactor tests need real (short) timers: the Reactor is the real-time scheduler.

const reactors: Reactor[] = [];
function makeReactor(): Reactor {
  const r = new Reactor();
  reactors.push(r);
  return r;
}

afterEach(() => {
  for (const r of reactors.splice(0)) {
    for (const call of r.getDelayedCalls()) call.cancel();
    if (r.running) r.crash();
  }
});

function timeoutCount(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('Reactor timed calls', () => {
  it('fires callLater without run(), with its arguments', async () => {
    const r = makeReactor();
    const got = await new Promise<unknown[]>((resolve) => {
      r.callLater(0.001, (a: number, b: string) => resolve([a, b]), 1, 'x');
    });
    expect(got).toEqual([1, 'x']);
  });

  it('returns a DelayedCall due at seconds() + delay', () => {
    const r = makeReactor();
    const before = r.seconds();
    const call = r.callLater(10, () => {});
    expect(call).toBeInstanceOf(DelayedCall);
    expect(call.getTime()).toBeGreaterThanOrEqual(before + 10);
    expect(call.getTime()).toBeLessThanOrEqual(r.seconds() + 10);
    expect(r.getDelayedCalls()).toEqual([call]);
  });

  it('uses a monotonic time base in seconds', () => {
    const r = makeReactor();
    const a = r.seconds();
    const b = r.seconds();
    expect(b).toBeGreaterThanOrEqual(a);
    expect(Math.abs(a - Date.now() / 1000)).toBeLessThan(5);
  });

  it('runs due calls in time order, ties in scheduling order', async () => {
    const r = makeReactor();
    const order: DelayedCall[] = [];
    const calls: DelayedCall[] = [];
    await new Promise<void>((resolve) => {
      const record = (i: number) => {
        order.push(calls[i] as DelayedCall);
        if (order.length === 5) resolve();
      };
      for (const delay of [0.004, 0.002, 0, 0.002, 0])
        calls.push(r.callLater(delay, record, calls.length));
    });
    // Sorting is stable, so equal times keep scheduling order.
    const expected = [...calls].sort((a, b) => a.getTime() - b.getTime());
    // By identity: toEqual finds any two DelayedCalls equal (private fields only).
    expect(order.map((call) => calls.indexOf(call))).toEqual(
      expected.map((call) => calls.indexOf(call)),
    );
  });

  it('does not run a cancelled call, and forgets it', async () => {
    const r = makeReactor();
    const events: string[] = [];
    const call = r.callLater(0, () => events.push('cancelled'));
    call.cancel();
    expect(r.getDelayedCalls()).toEqual([]);
    await new Promise<void>((resolve) => r.callLater(0.002, resolve));
    expect(events).toEqual([]);
    expect(call.called).toBe(false);
  });

  it('honours reset() sooner and delay() later', async () => {
    const r = makeReactor();
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      const slow = r.callLater(100, () => order.push('reset-sooner'));
      const fast = r.callLater(0, () => {
        order.push('delayed');
        resolve();
      });
      fast.delay(0.05);
      slow.reset(0.001);
    });
    expect(order).toEqual(['reset-sooner', 'delayed']);
  });

  it('logs an error thrown by a timed call and goes on with the others', async () => {
    const r = makeReactor();
    const log = captureLog();
    try {
      const events: string[] = [];
      await new Promise<void>((resolve) => {
        r.callLater(0, () => {
          throw new Error('boom');
        });
        r.callLater(0, () => {
          events.push('after');
          resolve();
        });
      });
      expect(events).toEqual(['after']);
      const failures = log.events.filter((e) => e.log_namespace === 'woven.time' && e.log_failure);
      expect(failures).toHaveLength(1);
      expect((failures[0]?.log_failure as { value: Error } | undefined)?.value.message).toBe(
        'boom',
      );
    } finally {
      log.stop();
    }
  });

  it('does not run, in the same pass, a zero-delay call scheduled by a running call', async () => {
    const r = makeReactor();
    let count = 0;
    let countAfterFirstPass = -1;
    await new Promise<void>((resolve) => {
      r.callLater(0, () => {
        count++;
        r.callLater(0, () => {
          count++;
          resolve();
        });
        queueMicrotask(() => {
          countAfterFirstPass = count;
        });
      });
    });
    expect(countAfterFirstPass).toBe(1);
    expect(count).toBe(2);
  });

  it('lists, cancels and reschedules calls scheduled while it fires, which then run in time order', async () => {
    const r = makeReactor();
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      r.callLater(0, () => {
        const late = r.callLater(0.05, () => {
          order.push('late');
          resolve();
        });
        const gone = r.callLater(0, () => order.push('gone'));
        const sooner = r.callLater(0.5, () => order.push('sooner'));
        expect(new Set(r.getDelayedCalls())).toEqual(new Set([late, gone, sooner]));
        expect(r.getDelayedCalls()).toContain(gone);
        gone.cancel();
        sooner.reset(0.001);
        expect(new Set(r.getDelayedCalls())).toEqual(new Set([late, sooner]));
      });
    });
    expect(order).toEqual(['sooner', 'late']);
    expect(r.getDelayedCalls()).toEqual([]);
  });

  it('leaves nothing behind after 100,000 calls are scheduled and cancelled', () => {
    const r = makeReactor();
    const baseline = timeoutCount();
    const calls: DelayedCall[] = [];
    for (let i = 0; i < 100_000; i++) calls.push(r.callLater(Math.random() * 100, () => {}));
    expect(r.getDelayedCalls()).toHaveLength(100_000);
    expect(timeoutCount()).toBe(baseline + 1); // one Node timer for all of them
    for (const call of calls) call.cancel();
    expect(r.getDelayedCalls()).toHaveLength(0);
    expect(timeoutCount()).toBe(baseline);
  });

  it('keeps a call at an extremely distant time pending', () => {
    const r = makeReactor();
    const call = r.callLater(2 ** 128 + 1, () => {});
    expect(call.active()).toBe(true);
    expect(r.getDelayedCalls()).toContain(call);
  });

  it('rejects negative or non-finite delays with RangeError', () => {
    const r = makeReactor();
    expect(() => r.callLater(-0.1, () => {})).toThrow(RangeError);
    expect(() => r.callLater(Number.NaN, () => {})).toThrow(RangeError);
    expect(r.getDelayedCalls()).toEqual([]);
  });

  it('has a default instance', () => {
    expect(reactor).toBeInstanceOf(Reactor);
    expect(reactor.running).toBe(false);
  });
});

describe('Reactor lifecycle', () => {
  it('stop() throws ReactorNotRunning when not started', () => {
    const r = makeReactor();
    expect(() => r.stop()).toThrow(ReactorNotRunning);
    try {
      r.stop();
    } catch (e) {
      expect((e as ReactorNotRunning).name).toBe('ReactorNotRunning');
      expect((e as ReactorNotRunning).code).toBe('ERR_REACTOR_NOT_RUNNING');
    }
  });

  it('stop() throws ReactorNotRunning once stopped, and when already stopping', async () => {
    const r = makeReactor();
    let second: unknown;
    r.callWhenRunning(() => {
      r.stop();
      try {
        r.stop();
      } catch (e) {
        second = e;
      }
    });
    await r.run();
    expect(second).toBeInstanceOf(ReactorNotRunning);
    expect(() => r.stop()).toThrow(ReactorNotRunning);
  });

  it('runs callWhenRunning calls in order, then immediately once running', async () => {
    const r = makeReactor();
    const events: string[] = [];
    r.callWhenRunning((x: string) => events.push(x), 'first');
    r.callWhenRunning((x: string) => events.push(x), 'second');
    r.callWhenRunning(() => {
      r.callWhenRunning(() => events.push('immediate'));
      events.push('third');
      r.stop();
    });
    expect(events).toEqual([]);
    await r.run();
    expect(events).toEqual(['first', 'second', 'immediate', 'third']);
  });

  it('is not running for before-startup triggers, running for during and after', async () => {
    const r = makeReactor();
    const state: Record<string, boolean> = {};
    r.addSystemEventTrigger('before', 'startup', () => {
      state.before = r.running;
    });
    r.addSystemEventTrigger('during', 'startup', () => {
      state.during = r.running;
    });
    r.addSystemEventTrigger('after', 'startup', () => {
      state.after = r.running;
    });
    r.callWhenRunning(() => r.stop());
    expect(state).toEqual({});
    await r.run();
    expect(state).toEqual({ before: false, during: true, after: true });
    expect(r.running).toBe(false);
  });

  it('fires the three shutdown phases in order before run() resolves', async () => {
    const r = makeReactor();
    const events: string[] = [];
    r.addSystemEventTrigger('before', 'shutdown', () => events.push(`before ${r.running}`));
    r.addSystemEventTrigger('during', 'shutdown', () => events.push(`during ${r.running}`));
    r.addSystemEventTrigger('after', 'shutdown', () => events.push('after'));
    r.callWhenRunning(() => r.stop());
    await r.run();
    expect(events).toEqual(['before true', 'during false', 'after']);
  });

  it('runs shutdown triggers after stop() returns, not inside it', async () => {
    const r = makeReactor();
    const events: string[] = [];
    r.addSystemEventTrigger('before', 'shutdown', (x: string) => events.push(x), 'before shutdown');
    r.callWhenRunning(() => {
      r.stop();
      events.push('stopped');
    });
    await r.run();
    expect(events).toEqual(['stopped', 'before shutdown']);
  });

  it('waits for a Promise returned by a before-shutdown trigger', async () => {
    const r = makeReactor();
    const events: string[] = [];
    r.addSystemEventTrigger(
      'before',
      'shutdown',
      () =>
        new Promise<void>((resolve) =>
          r.callLater(0.002, () => {
            events.push('slow before');
            resolve();
          }),
        ),
    );
    r.addSystemEventTrigger('during', 'shutdown', () => events.push('during'));
    r.callWhenRunning(() => r.stop());
    await r.run();
    events.push('run resolved');
    expect(events).toEqual(['slow before', 'during', 'run resolved']);
  });

  it('still shuts down when a before-shutdown Promise rejects or a trigger throws (logged)', async () => {
    const r = makeReactor();
    const log = captureLog();
    try {
      const events: string[] = [];
      r.addSystemEventTrigger('before', 'shutdown', () => Promise.reject(new Error('nope')));
      r.addSystemEventTrigger('during', 'shutdown', () => {
        throw new Error('broken trigger');
      });
      r.addSystemEventTrigger('after', 'shutdown', () => events.push('after'));
      r.callWhenRunning(() => r.stop());
      await r.run();
      expect(events).toEqual(['after']);
      const messages = log.events
        .filter((e) => e.log_failure)
        .map((e) => (e.log_failure as { value: Error }).value.message);
      expect(messages).toEqual(['nope', 'broken trigger']);
    } finally {
      log.stop();
    }
  });

  it('waits for a thenable returned by a before-startup trigger before the during phase', async () => {
    const r = makeReactor();
    const events: string[] = [];
    r.addSystemEventTrigger('before', 'startup', () => {
      events.push('trigger');
      return new Promise<void>((resolve) => r.callLater(0, resolve));
    });
    r.addSystemEventTrigger('during', 'startup', () => events.push(`during ${r.running}`));
    r.callWhenRunning(() => {
      events.push('callback');
      r.stop();
    });
    const done = r.run();
    expect(events).toEqual(['trigger']);
    expect(r.running).toBe(false);
    await done;
    expect(events).toEqual(['trigger', 'during true', 'callback']);
  });

  it('throws ReactorAlreadyRunning from a second run()', async () => {
    const r = makeReactor();
    const events: string[] = [];
    r.callWhenRunning(() => {
      expect(() => r.run()).toThrow(ReactorAlreadyRunning);
      events.push('tested');
    });
    r.callWhenRunning(() => r.stop());
    await r.run();
    expect(events).toEqual(['tested']);
  });

  it('can be run again after it stopped', async () => {
    const r = makeReactor();
    const events: string[] = [];
    r.callWhenRunning(() => r.stop());
    await r.run();
    r.callWhenRunning(() => {
      events.push(`second run ${r.running}`);
      r.stop();
    });
    await r.run();
    expect(events).toEqual(['second run true']);
  });

  it('runs each trigger once', async () => {
    const r = makeReactor();
    let count = 0;
    r.addSystemEventTrigger('during', 'shutdown', () => count++);
    r.callWhenRunning(() => r.stop());
    await r.run();
    r.callWhenRunning(() => r.stop());
    await r.run();
    expect(count).toBe(1);
  });

  it('removeSystemEventTrigger removes a pending trigger and rejects unknown ids', async () => {
    const r = makeReactor();
    const events: string[] = [];
    const id = r.addSystemEventTrigger('after', 'startup', () => events.push('removed'));
    r.addSystemEventTrigger('after', 'startup', () => events.push('kept'));
    r.removeSystemEventTrigger(id);
    expect(() => r.removeSystemEventTrigger(id)).toThrow(RangeError);
    const queued = r.callWhenRunning(() => events.push('queued'));
    if (queued) r.removeSystemEventTrigger(queued);
    r.callWhenRunning(() => r.stop());
    await r.run();
    expect(events).toEqual(['kept']);
  });

  it('rejects an invalid phase', () => {
    const r = makeReactor();
    expect(() => r.addSystemEventTrigger('sometime' as 'before', 'startup', () => {})).toThrow(
      RangeError,
    );
  });

  it('can be stopped by a delayed call (its methods are bound)', async () => {
    const r = makeReactor();
    r.callLater(0, r.stop);
    await r.run();
    expect(r.running).toBe(false);
  });

  it('crash() stops without running the shutdown triggers', async () => {
    const r = makeReactor();
    const events: string[] = [];
    r.addSystemEventTrigger('before', 'shutdown', () => events.push('shutdown'));
    r.callWhenRunning(() => r.callLater(0, () => r.crash()));
    await r.run();
    expect(r.running).toBe(false);
    expect(events).toEqual([]);
  });
});

describe('Reactor system event triggers returning a Deferred', () => {
  /** A reactor whose 'before' trigger of `event` records 'before' in `seen` and returns `gate`. */
  function gatedBefore(event: 'startup' | 'shutdown') {
    const r = makeReactor();
    const seen: string[] = [];
    const gate = new Deferred<void>();
    r.addSystemEventTrigger('before', event, () => {
      seen.push('before');
      return gate;
    });
    return { r, seen, gate };
  }

  it("'before startup' triggers may return a Deferred that 'during' waits for", async () => {
    const { r, seen, gate } = gatedBefore('startup');
    r.addSystemEventTrigger('during', 'startup', () => seen.push('during'));
    r.callWhenRunning(() => seen.push('running'));
    const done = r.run();
    expect(seen).toEqual(['before']);
    gate.callback(undefined);
    await turns(1);
    expect(seen).toEqual(['before', 'during', 'running']);
    r.stop();
    await done;
  });

  it('shutdown waits for a Deferred a before trigger returns, then runs the after phase', async () => {
    const { r, seen, gate } = gatedBefore('shutdown');
    r.addSystemEventTrigger('after', 'shutdown', () => seen.push('after'));
    let stopped = false;
    const done = r.run().then(() => {
      stopped = true;
    });
    r.stop();
    expect(seen).toEqual([]);
    await turns(1);
    expect(seen).toEqual(['before']);
    expect(stopped).toBe(false);
    gate.callback(undefined);
    await done;
    expect(seen).toEqual(['before', 'after']);
  });
});
