// Woven's cancellation seen by other Promise libraries: woven operations
// ({ signal } on DeferredQueue.get, lock acquire, deferLater, Connection)
// composed with abort-controller-x's race, all, retry, spawn, delay and
// waitForEvent, and with Node's events.once, timers/promises and
// AbortSignal.timeout. Each loser is aborted quietly (no unhandled
// rejection), leaves its waiting list, and leaves no listener behind.
import { EventEmitter, once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  all,
  delay,
  type EventTargetLike,
  isAbortError,
  race,
  retry,
  spawn,
  waitForEvent,
} from 'abort-controller-x';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  CancelledError,
  Clock,
  type Connection,
  connectionPair,
  Deferred,
  DeferredLock,
  DeferredQueue,
  deferLater,
} from '../../lib/index.js';
import { abortListeners } from '../helpers.js';

const open: Connection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.abort();
});

describe('abort-controller-x over woven operations', () => {
  it('all: resolves with every result; one failure aborts the others out of their queues', async () => {
    const queue = new DeferredQueue<string>();
    const lock = new DeferredLock();
    const outer = new AbortController();
    queue.put('job');
    const [job, held] = await all(outer.signal, (s) => [
      queue.get({ signal: s }),
      lock.acquire({ signal: s }),
    ]);
    expect([job, held]).toEqual(['job', lock]);
    const failing = all(outer.signal, (s) => [
      queue.get({ signal: s }),
      lock.acquire({ signal: s }),
      Promise.reject(new RangeError('bad input')),
    ]);
    await expect(failing).rejects.toBeInstanceOf(RangeError);
    expect([queue.waiting.length, lock.waiting.length]).toEqual([0, 0]);
    expect(abortListeners(outer.signal)).toBe(0);
  });

  it('retry: retries a failed woven operation, and stops (without retrying) on an abort', async () => {
    const queue = new DeferredQueue<number>();
    queue.put(7);
    let attempts = 0;
    const value = await retry(
      new AbortController().signal,
      async (s, attempt) => {
        attempts += 1;
        if (attempt === 0) throw new Error('flaky');
        return queue.get({ signal: s });
      },
      { baseMs: 1, maxDelayMs: 2, maxAttempts: 3 },
    );
    expect([value, attempts]).toEqual([7, 2]);
    const outer = new AbortController();
    const waiting = retry(outer.signal, (s) => queue.get({ signal: s }), { maxAttempts: 3 });
    await Promise.resolve();
    outer.abort(new Error('shutting down'));
    const error = await waiting.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(queue.waiting).toHaveLength(0);
  });

  it('spawn: forks waiting on woven operations end with the spawned function', async () => {
    const queue = new DeferredQueue<string>();
    const clock = new Clock();
    const result = await spawn(new AbortController().signal, async (_s, { fork }) => {
      fork((s) => queue.get({ signal: s }));
      fork((s) => deferLater(clock, 60, { signal: s }));
      return 'main done';
    });
    expect(result).toBe('main done');
    expect(queue.waiting).toHaveLength(0);
    expect(clock.getDelayedCalls()).toHaveLength(0);
  });

  it('race with delay: the timer wins, the woven get loses quietly and leaves the queue', async () => {
    const queue = new DeferredQueue<string>();
    const outer = new AbortController();
    const winner = await race(outer.signal, (s) => [
      delay(s, 5).then(() => 'timer'),
      queue.get({ signal: s }),
    ]);
    expect(winner).toBe('timer');
    expect(queue.waiting).toHaveLength(0);
    expect(abortListeners(outer.signal)).toBe(0);
  });

  it("waitForEvent on conn.signal: wins when the peer goes; the clock's deferLater is unscheduled", async () => {
    const [a, b] = connectionPair();
    open.push(a, b);
    const clock = new Clock();
    const outer = new AbortController();
    // AbortSignal's DOM typing is stricter than EventTargetLike's; it works as one.
    const winner = race(outer.signal, (s) => [
      waitForEvent(s, a.signal as unknown as EventTargetLike<Event>, 'abort').then(
        () => 'peer left',
      ),
      deferLater(clock, 30, { signal: s }).then(() => 'timeout'),
    ]);
    const reader = (async () => {
      for await (const _ of a) {
        // until the peer closes
      }
    })();
    await b.close();
    expect(await winner).toBe('peer left');
    await reader;
    expect(clock.getDelayedCalls()).toHaveLength(0);
    expect(abortListeners(a.signal)).toBe(0);
  });
});

describe("Node's APIs over woven operations", () => {
  it('events.once inside Deferred.fromAsync: cancel() aborts the wait and removes its listener', async () => {
    const ee = new EventEmitter();
    const d = Deferred.fromAsync((signal) => once(ee, 'ready', { signal }));
    expect(ee.listenerCount('ready')).toBe(1);
    d.cancel();
    await expect(d.asPromise()).rejects.toBeInstanceOf(CancelledError);
    expect(ee.listenerCount('ready')).toBe(0);
    const fired = Deferred.fromAsync((signal) => once(ee, 'ready', { signal }));
    ee.emit('ready', 42);
    expect(await fired).toEqual([42]);
  });

  it('timers/promises and a woven get aborted by one signal reject alike', async () => {
    const queue = new DeferredQueue<string>();
    const ac = new AbortController();
    const nodeSleep = sleep(60_000, undefined, { signal: ac.signal }).catch((e: unknown) => e);
    const wovenGet = queue
      .get({ signal: ac.signal })
      .asPromise()
      .catch((e: unknown) => e);
    ac.abort(new Error('user left'));
    const [node, woven] = (await Promise.all([nodeSleep, wovenGet])) as Error[];
    expect([woven!.name, (woven as AbortError).code]).toEqual([
      node!.name,
      (node as NodeJS.ErrnoException).code,
    ]);
    expect(woven!.cause).toBe(node!.cause);
    expect(isAbortError(woven)).toBe(true);
    expect(woven).toBeInstanceOf(CancelledError);
  });

  it('AbortSignal.timeout: a woven get gives up with an AbortError caused by the TimeoutError', async () => {
    const queue = new DeferredQueue<string>();
    const signal = AbortSignal.timeout(20);
    const error = await queue
      .get({ signal })
      .asPromise()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(((error as AbortError).cause as Error).name).toBe('TimeoutError');
    expect(queue.waiting).toHaveLength(0);
    expect(abortListeners(signal)).toBe(0);
  });

  it('Connection.write({ signal: AbortSignal.timeout }) against a peer that never reads', async () => {
    const [a, b] = connectionPair();
    open.push(a, b);
    const signal = AbortSignal.timeout(20);
    const big = Buffer.alloc(1 << 20);
    let error: unknown;
    for (let i = 0; i < 64 && error === undefined; i += 1) {
      error = await a.write(big, { signal }).then(
        () => undefined,
        (e: unknown) => e,
      );
    }
    expect(error).toBeInstanceOf(AbortError);
    expect(abortListeners(signal)).toBe(0);
  });
});
