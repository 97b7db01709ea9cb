import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Clock,
  Deferred,
  fail,
  type ReactorCore,
  Reactor,
  ReactorNotRunning,
  react,
  succeed,
} from '../../lib/index.js';
import { logEventsOfEachTest } from '../helpers.js';

/** A reactor on a Clock whose run() steps through timed calls synchronously, as Twisted's _FakeReactor. */
class FakeReactor implements ReactorCore {
  readonly clock = new Clock();
  readonly callLater = this.clock.callLater.bind(this.clock);
  readonly seconds = this.clock.seconds.bind(this.clock);
  #running = false;
  #whenRunning: [(...args: never[]) => unknown, never[]][] | undefined = [];
  #shutdown: [(...args: never[]) => unknown, never[]][] = [];

  callWhenRunning(fn: (...args: never[]) => unknown, ...args: never[]): void {
    if (this.#whenRunning === undefined) fn(...args);
    else this.#whenRunning.push([fn, args]);
  }

  addSystemEventTrigger(
    phase: 'before' | 'during' | 'after',
    event: string,
    fn: (...args: never[]) => unknown,
    ...args: never[]
  ): void {
    if (event !== 'shutdown' || phase === 'after') throw new Error('unsupported in this fake');
    this.#shutdown.push([fn, args]);
  }

  run(): void {
    this.#running = true;
    const whenRunning = this.#whenRunning ?? [];
    this.#whenRunning = undefined;
    for (const [fn, args] of whenRunning) fn(...args);
    for (let i = 0; this.#running; i++) {
      const calls = this.clock.getDelayedCalls();
      if (calls.length === 0 || i > 1000) throw new Error('No DelayedCalls left');
      this.clock.advance((calls[0]?.getTime() ?? 0) - this.seconds());
    }
    for (const [fn, args] of this.#shutdown) fn(...args);
  }

  stop(): void {
    if (!this.#running) throw new ReactorNotRunning();
    this.#running = false;
  }
}

class ExpectedException extends Error {}

let savedExitCode: typeof process.exitCode;
const logged = logEventsOfEachTest();
beforeEach(() => {
  savedExitCode = process.exitCode;
});
afterEach(() => {
  process.exitCode = savedExitCode;
});

function loggedFailures(type: new (...args: never[]) => Error): number {
  return logged.filter(
    (e) => (e.log_failure as { value?: unknown } | undefined)?.value instanceof type,
  ).length;
}

describe('react', () => {
  it('runs the reactor until the returned Deferred fires, then stops it with exit code 0', async () => {
    const r = new FakeReactor();
    const timePassed: boolean[] = [];
    await react(
      (reactor: FakeReactor) => {
        const finished = new Deferred<undefined>();
        reactor.callLater(1, () => timePassed.push(true));
        reactor.callLater(2, () => finished.callback(undefined));
        return finished;
      },
      [],
      r,
    );
    expect(process.exitCode).toBe(0);
    expect(timePassed).toEqual([true]);
    expect(r.seconds()).toBe(2);
  });

  it('returns quickly when the Deferred has already fired', async () => {
    const r = new FakeReactor();
    await react(() => succeed(undefined), [], r);
    expect(process.exitCode).toBe(0);
    expect(r.seconds()).toBe(0);
  });

  it('sets exit code 1 and logs the failure when the Deferred fails later', async () => {
    const r = new FakeReactor();
    await react(
      (reactor: FakeReactor) => {
        const finished = new Deferred();
        reactor.callLater(1, () => finished.errback(new ExpectedException()));
        return finished;
      },
      [],
      r,
    );
    expect(process.exitCode).toBe(1);
    expect(loggedFailures(ExpectedException)).toBe(1);
  });

  it('sets exit code 1 when the Deferred has already failed', async () => {
    const r = new FakeReactor();
    await react(() => fail(new ExpectedException()), [], r);
    expect(process.exitCode).toBe(1);
    expect(r.seconds()).toBe(0);
    expect(loggedFailures(ExpectedException)).toBe(1);
  });

  it('does not stop the reactor again when it was stopped before main settled', async () => {
    const r = new FakeReactor();
    await react(
      (reactor: FakeReactor) => {
        reactor.callLater(1, () => reactor.stop());
        const finished = new Deferred<undefined>();
        reactor.addSystemEventTrigger('during', 'shutdown', () => finished.callback(undefined));
        return finished;
      },
      [],
      r,
    );
    expect(r.seconds()).toBe(1);
    expect(process.exitCode).toBe(0);
  });

  it('reports a failure that comes after the reactor was stopped', async () => {
    const r = new FakeReactor();
    await react(
      (reactor: FakeReactor) => {
        reactor.callLater(1, () => reactor.stop());
        const finished = new Deferred();
        reactor.addSystemEventTrigger('during', 'shutdown', () =>
          finished.errback(new ExpectedException()),
        );
        return finished;
      },
      [],
      r,
    );
    expect(process.exitCode).toBe(1);
    expect(loggedFailures(ExpectedException)).toBe(1);
  });

  it('passes argv to main after the reactor', async () => {
    const r = new FakeReactor();
    const args: unknown[] = [];
    let passed: unknown;
    await react(
      (reactor: FakeReactor, x: number, y: number, z: number) => {
        passed = reactor;
        args.push(x, y, z);
        return succeed(undefined);
      },
      [1, 2, 3],
      r,
    );
    expect(args).toEqual([1, 2, 3]);
    expect(passed).toBe(r);
  });

  it('uses an integer exitCode carried by the error', async () => {
    const r = new FakeReactor();
    await react(() => fail(Object.assign(new Error('exit'), { exitCode: 23 })), [], r);
    expect(process.exitCode).toBe(23);
  });

  it('copes with the reactor being stopped just before the Deferred fires', async () => {
    const r = new FakeReactor();
    await react(
      (reactor: FakeReactor) => {
        const d = new Deferred<undefined>();
        reactor.callWhenRunning(() => {
          reactor.stop();
          d.callback(undefined);
        });
        return d;
      },
      [],
      r,
    );
    expect(process.exitCode).toBe(0);
  });

  it('copes with the reactor being stopped while the Deferred never fires', async () => {
    const r = new FakeReactor();
    await react(
      (reactor: FakeReactor) => {
        reactor.callLater(1, () => reactor.stop());
        return new Deferred();
      },
      [],
      r,
    );
    expect(process.exitCode).toBe(0);
  });

  it('runs a real Reactor until an async main settles, then resolves once it stopped', async () => {
    const r = new Reactor();
    const events: string[] = [];
    r.addSystemEventTrigger('after', 'shutdown', () => events.push('shut down'));
    await react(
      async (reactor: Reactor, name: string) => {
        await new Promise<void>((resolve) => reactor.callLater(0.001, resolve));
        events.push(`hello ${name}`);
      },
      ['world'],
      r,
    );
    expect(events).toEqual(['hello world', 'shut down']);
    expect(r.running).toBe(false);
    expect(process.exitCode).toBe(0);
  });

  it('sets exit code 1 when main throws synchronously', async () => {
    const r = new Reactor();
    await react(
      () => {
        throw new ExpectedException();
      },
      [],
      r,
    );
    expect(process.exitCode).toBe(1);
    expect(loggedFailures(ExpectedException)).toBe(1);
  });
});
