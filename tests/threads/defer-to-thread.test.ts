import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CancelledError,
  Deferred,
  deferToThread,
  deferToThreadPool,
  getThreadPool,
  ThreadPool,
  Clock,
} from '../../lib/index.js';
import { abortListeners, turns } from '../helpers.js';

const tasks = new URL('../fixtures/thread-tasks.mjs', import.meta.url);

afterAll(async () => {
  await getThreadPool().stop();
});

describe('deferToThread', () => {
  it('runs a task on the shared, lazily started pool', async () => {
    const d = deferToThread({ module: tasks, name: 'add' }, 40, 2);
    expect(d).toBeInstanceOf(Deferred);
    expect(await d).toBe(42);
    const pool = getThreadPool();
    expect(pool).toBeInstanceOf(ThreadPool);
    expect(pool.started).toBe(true);
    expect(getThreadPool()).toBe(pool);
    expect(await deferToThread(tasks, 'add', 1, 1)).toBe(2);
  });

  it('is cancellable: a running busy loop is terminated and fails with CancelledError', async () => {
    await deferToThread({ module: tasks, name: 'add' }, 0, 0);
    const d = deferToThread({ module: tasks, name: 'spin' });
    await turns();
    d.cancel();
    await expect(d.asPromise()).rejects.toBeInstanceOf(CancelledError);
  });

  it('takes { signal } first: an abort terminates the task with an AbortError, a result removes the listener', async () => {
    const ac = new AbortController();
    expect(await deferToThread({ signal: ac.signal }, { module: tasks, name: 'add' }, 1, 2)).toBe(
      3,
    );
    expect(await deferToThread({ signal: ac.signal }, tasks, 'add', 2, 2)).toBe(4);
    expect(abortListeners(ac.signal)).toBe(0);
    const d = deferToThread({ signal: ac.signal }, { module: tasks, name: 'spin' });
    await turns();
    const reason = new Error('enough');
    ac.abort(reason);
    const error = await d.asPromise().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).name).toBe('AbortError');
    expect((error as Error).cause).toBe(reason);
    expect(abortListeners(ac.signal)).toBe(0);
  });

  it('deferToThreadPool runs on the given pool', async () => {
    const pool = new ThreadPool({ maxThreads: 1 });
    pool.start();
    try {
      expect(await deferToThreadPool(pool, (s: string) => s.repeat(2), 'ab')).toBe('abab');
      // Twisted's order: deferToThreadPool(reactor, threadpool, f, *args)
      expect(
        await deferToThreadPool(new Clock(), pool, (a: number, b: number) => a - b, 5, 3),
      ).toBe(2);
    } finally {
      await pool.stop();
    }
  });

  it('never holds the process open: a script that used it exits by itself', async () => {
    const { stdout, code } = await runExitFixture(process.env);
    expect(stdout).toBe('result 42\n');
    expect(code).toBe(0);
  }, 30_000);

  it('loads its worker from the package, writing nothing into the temporary directory', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'woven-tmpdir-'));
    try {
      const env = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
      const { stdout, code } = await runExitFixture(env);
      expect(stdout).toBe('result 42\n');
      expect(code).toBe(0);
      expect(readdirSync(tmp).filter((name) => name.startsWith('woven'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 30_000);
});

/** Run the deferToThread fixture in a child process with `env`; its stdout and exit code. */
function runExitFixture(env: NodeJS.ProcessEnv): Promise<{ stdout: string; code: number | null }> {
  const script = fileURLToPath(new URL('../fixtures/defer-to-thread-exit.ts', import.meta.url));
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', script],
      { timeout: 20_000, env },
      (error, out) => {
        resolve({ stdout: out, code: error ? ((error as { code?: number }).code ?? -1) : 0 });
      },
    );
    child.stdin?.end();
  });
}
