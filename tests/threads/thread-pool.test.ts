import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { workerModuleURL } from '../../lib/threads/worker-script.js';
import {
  CancelledError,
  Deferred,
  Failure,
  ThreadPool,
  ThreadWorkerError,
} from '../../lib/index.js';
import { nextLogged, turns } from '../helpers.js';

const tasks = new URL('../fixtures/thread-tasks.mjs', import.meta.url);
const pools: ThreadPool[] = [];

function makePool(options?: ConstructorParameters<typeof ThreadPool>[0]): ThreadPool {
  const pool = new ThreadPool(options);
  pools.push(pool);
  return pool;
}

/** Settle `d` and report how (without an unhandled failure). */
async function outcome<T>(d: Deferred<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await d };
  } catch (error) {
    return { error };
  }
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.stop()));
});

describe('ThreadPool', () => {
  it('reports its configuration with Twisted names and starts/stops', async () => {
    const pool = makePool({ minThreads: 1, maxThreads: 3 });
    expect([pool.min, pool.max, pool.started]).toEqual([1, 3, false]);
    pool.start();
    expect(pool.started).toBe(true);
    await pool.stop();
    expect(pool.started).toBe(false);
  });

  it('rejects nonsensical sizes', () => {
    expect(() => new ThreadPool({ minThreads: 4, maxThreads: 2 })).toThrow(RangeError);
    expect(() => new ThreadPool({ maxThreads: 0 })).toThrow(RangeError);
    expect(() => new ThreadPool({ idleTimeout: -1 })).toThrow(RangeError);
  });

  it('runs an exported function of an ES module and fires with its result', async () => {
    const pool = makePool({ maxThreads: 2 });
    pool.start();
    const d = pool.run({ module: tasks, name: 'add' }, 2, 3);
    expect(d).toBeInstanceOf(Deferred);
    expect(await d).toBe(5);
    expect(await pool.run({ module: tasks.pathname, name: 'later' }, 'async')).toBe('async');
  });

  it('takes (module, name, ...args) too', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    expect(await pool.run(tasks, 'add', 1, 2)).toBe(3);
    expect(await pool.run(tasks.href, 'add', 3, 4)).toBe(7);
    const { error } = await outcome(
      pool.run(tasks as unknown as string, undefined as unknown as string),
    );
    expect(error).toBeInstanceOf(TypeError);
  });

  it('runs the task in another thread', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const id = await pool.run({ module: tasks, name: 'whoAmI' });
    expect(id).toBeGreaterThan(0);
  });

  it('runs a self-contained function sent as source', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const sum = await pool.run((n: number) => {
      let total = 0;
      for (let i = 1; i <= n; i++) total += i;
      return total;
    }, 100);
    expect(sum).toBe(5050);
    expect(await pool.run(async (s: string) => s.toUpperCase(), 'abc')).toBe('ABC');
  });

  it('passes arguments and results by structured clone', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const arg = {
      when: new Date(0),
      bytes: new Uint8Array([1, 2, 3]),
      map: new Map([['k', 1]]),
      nested: [1, [2]],
    };
    const result = (await pool.run({ module: tasks, name: 'describe' }, arg)) as {
      type: string;
      value: typeof arg;
    };
    expect(result.type).toBe('[object Object]');
    expect(result.value).toEqual(arg);
    expect(result.value).not.toBe(arg);
    expect(result.value.when).toBeInstanceOf(Date);
  });

  it("fails the Deferred with an error carrying the worker's name, message and code", async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const { error } = await outcome(pool.run({ module: tasks, name: 'failWithCode' }));
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'DiskError', message: 'disk on fire', code: 'EFIRE' });
    const typeError = await outcome(
      pool.run(() => {
        throw new TypeError('bad type');
      }),
    );
    expect(typeError.error).toBeInstanceOf(TypeError);
    expect((typeError.error as Error).message).toBe('bad type');
  });

  it('fails when the module has no such function', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const missing = await outcome(pool.run({ module: tasks, name: 'notAFunction' }));
    expect(missing.error).toBeInstanceOf(TypeError);
    expect(String((missing.error as Error).message)).toContain('notAFunction');
  });

  it('fails a Failure-carrying errback chain so errbacks see the worker error', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const seen = await pool
      .run({ module: tasks, name: 'failWithCode' })
      .addErrback((f) => f.getErrorMessage());
    expect(seen).toBe('disk on fire');
  });

  it('fails with ThreadWorkerError when the result cannot be cloned, and the pool recovers', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const { error } = await outcome(pool.run(() => () => 1));
    expect(error).toBeInstanceOf(ThreadWorkerError);
    expect(error).toMatchObject({ name: 'ThreadWorkerError', code: 'ERR_THREAD_WORKER' });
    expect(await pool.run(() => 'recovered')).toBe('recovered');
  });

  it('fails with DataCloneError when an argument cannot be cloned', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const { error } = await outcome(
      pool.run(
        (f: unknown) => typeof f,
        () => 1,
      ),
    );
    expect((error as Error).name).toBe('DataCloneError');
  });

  it('a function using outer variables fails in the worker with ReferenceError (functions travel as source)', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const outer = 5;
    const { error } = await outcome(pool.run(() => outer));
    expect(error).toBeInstanceOf(ReferenceError);
  });

  it('holds tasks run before start() until the pool starts', async () => {
    const pool = makePool({ maxThreads: 1 });
    const d = pool.run({ module: tasks, name: 'add' }, 1, 1);
    await Promise.resolve();
    expect(d.called).toBe(false);
    pool.start();
    expect(await d).toBe(2);
  });

  it('cancelling a task waiting for start() drops it and later tasks still run', async () => {
    const pool = makePool({ maxThreads: 1 });
    const d = pool.run({ module: tasks, name: 'add' }, 1, 1);
    d.cancel();
    const { error } = await outcome(d);
    expect(error).toBeInstanceOf(CancelledError);
    pool.start();
    expect(await pool.run({ module: tasks, name: 'add' }, 2, 2)).toBe(4);
  });

  it('cancelling a running busy-looping task terminates its worker and fails with CancelledError', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    // make sure the worker is up so the task is really running when cancelled
    await pool.run({ module: tasks, name: 'add' }, 0, 0);
    const spinning = pool.run({ module: tasks, name: 'spin' });
    await turns();
    // The task spins forever: only terminating its worker can settle it.
    spinning.cancel();
    const { error } = await outcome(spinning);
    expect(error).toBeInstanceOf(CancelledError);
    // the pool replaces the terminated worker and keeps working
    expect(await pool.run({ module: tasks, name: 'add' }, 20, 22)).toBe(42);
  });

  it('cancelling a queued task removes it from the queue; the running one is unaffected', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const first = pool.run({ module: tasks, name: 'later' }, 'first');
    const queued = pool.run(() => {
      throw new Error('a cancelled queued task must never run');
    });
    queued.cancel();
    expect((await outcome(queued)).error).toBeInstanceOf(CancelledError);
    expect(await first).toBe('first');
  });

  it('stop() lets queued work finish', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const results = [1, 2, 3].map((n) => pool.run({ module: tasks, name: 'later' }, n));
    await pool.stop();
    expect(await Promise.all(results)).toEqual([1, 2, 3]);
  });

  it('callInThreadWithCallback reports success and failure as Twisted does', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const results: [boolean, unknown][] = [];
    const twoResults = new Promise<void>((resolve) => {
      const onResult = (success: boolean, result: unknown): void => {
        results.push([success, result]);
        if (results.length === 2) resolve();
      };
      pool.callInThreadWithCallback(onResult, (n: number) => n * 2, 21);
      pool.callInThreadWithCallback(onResult, { module: tasks, name: 'failWithCode' });
    });
    await twoResults;
    expect(results[0]).toEqual([true, 42]);
    expect(results[1]![0]).toBe(false);
    expect(results[1]![1]).toBeInstanceOf(Failure);
    expect((results[1]![1] as Failure).getErrorMessage()).toBe('disk on fire');
  });

  it('callInThread logs an error its task throws', async () => {
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    const poolEvent = nextLogged((e) => e.log_namespace === 'woven.threads.pool');
    pool.callInThread({ module: tasks, name: 'failWithCode' });
    const event = await poolEvent;
    expect((event.log_failure as Failure).getErrorMessage()).toBe('disk on fire');
  });
});

describe('the worker module', () => {
  it('is a file of the package itself, not of the temporary directory', () => {
    const path = fileURLToPath(workerModuleURL());
    const root = fileURLToPath(new URL('../../', import.meta.url));
    expect(path.startsWith(root)).toBe(true);
    // Wherever the package lies (even under the temporary directory), the
    // worker is one of its own files, not one written elsewhere at run time.
    expect(path.slice(root.length)).toMatch(/^(lib|dist)[\\/]/);
    expect(existsSync(path)).toBe(true);
  });

  it('is loaded from the package, never written to the shared temporary directory', async () => {
    const before = new Set(readdirSync(tmpdir()));
    const pool = makePool({ maxThreads: 1 });
    pool.start();
    expect(await pool.run((a: number, b: number) => a * b, 6, 7)).toBe(42);
    const planted = readdirSync(tmpdir()).filter(
      (name) => !before.has(name) && name.startsWith('woven-thread-worker'),
    );
    expect(planted).toEqual([]);
  });
});
