import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortError, JobQueue, QueueFullError } from '../../../lib/index.js';
import { deferred, abortListeners } from '../../helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('JobQueue', () => {
  it('an aborted waiter leaves the queue at once, never runs, and its listener is removed', async () => {
    const q = new JobQueue({ concurrency: 1 });
    const first = deferred();
    const ran: string[] = [];
    const a = q.run(async () => {
      ran.push('a');
      await first.promise;
    });
    const ac = new AbortController();
    const b = q.run(
      async () => {
        ran.push('b');
      },
      { signal: ac.signal },
    );
    const c = q.run(async () => {
      ran.push('c');
    });
    expect(q.waiting).toBe(2);
    ac.abort('no longer needed');
    expect(q.waiting).toBe(1);
    const error = await b.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe('no longer needed');
    expect(abortListeners(ac.signal)).toBe(0);
    first.resolve();
    await Promise.all([a, c]);
    expect(ran).toEqual(['a', 'c']);
    expect([q.waiting, q.running]).toEqual([0, 0]);
  });

  it('a job that starts removes its listener; an already aborted signal never queues', async () => {
    const q = new JobQueue({ concurrency: 1 });
    const ac = new AbortController();
    expect(await q.run(async () => 42, { signal: ac.signal })).toBe(42);
    expect(abortListeners(ac.signal)).toBe(0);
    await expect(q.run(async () => 1, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortError,
    );
    expect(q.waiting).toBe(0);
  });

  it('refuses a job past maxWaiting; clear() rejects the waiting ones', async () => {
    const q = new JobQueue({ concurrency: 1, maxWaiting: 1 });
    const first = deferred();
    const a = q.run(() => first.promise);
    const b = q.run(async () => 'b');
    await expect(q.run(async () => 'c')).rejects.toBeInstanceOf(QueueFullError);
    expect(q.waiting).toBe(1);
    q.clear(new Error('closing'));
    await expect(b).rejects.toThrow('closing');
    expect(q.waiting).toBe(0);
    first.resolve();
    await a;
  });

  it('starts at most intervalCap jobs per interval (p-queue, on fake timers)', async () => {
    vi.useFakeTimers();
    const q = new JobQueue({ interval: 1, intervalCap: 2 });
    const started: number[] = [];
    const jobs = [0, 1, 2, 3, 4].map((i) =>
      q.run(async () => {
        started.push(i);
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toEqual([0, 1, 2, 3]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    await Promise.all(jobs);
  });
});
