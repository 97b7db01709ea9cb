import { describe, expect, it } from 'vitest';
import { Deferred, Failure, fail, succeed } from '../../lib/index.js';

describe('Deferred as a thenable', () => {
  it('await gives the result', async () => {
    const d = new Deferred<number>();
    setImmediate(() => d.callback(8));
    expect(await d).toBe(8);
  });

  it('await throws the raw error, not the Failure', async () => {
    const err = new Error('raw');
    await expect(fail(err)).rejects.toBe(err);
  });

  it('then returns a native Promise', () => {
    const p = succeed(1).then((x) => x);
    expect(p).toBeInstanceOf(Promise);
  });

  it('then observes without consuming: later callbacks still get the value', async () => {
    const d = new Deferred<number>();
    const p = d.then((x) => x);
    d.addCallback((x) => x * 2);
    const later: number[] = [];
    d.addCallback((x) => later.push(x));
    d.callback(1);
    expect(await p).toBe(1);
    expect(later).toEqual([2]);
  });

  it('then observes at its point of the chain', async () => {
    const d = new Deferred<number>();
    d.addCallback((x) => x + 1);
    const p = d.then((x) => x);
    d.addCallback((x) => x * 100);
    d.callback(1);
    expect(await p).toBe(2);
    expect(d.result).toBe(200);
  });

  it('then handlers run asynchronously even on a fired Deferred', async () => {
    const d = succeed(1);
    let ran = false;
    const p = d.then(() => {
      ran = true;
    });
    expect(ran).toBe(false);
    await p;
    expect(ran).toBe(true);
  });

  it('then does not consume a failure: errbacks after it still see it', async () => {
    const err = new Error('seen twice');
    const d = fail(err);
    const rejected = d.then(undefined, (e) => e);
    let later: unknown;
    d.addErrback((f) => {
      later = f.value;
    });
    expect(await rejected).toBe(err);
    expect(later).toBe(err);
  });

  it('catch handles a rejection', async () => {
    expect(await fail(new Error('c')).catch((e) => (e as Error).message)).toBe('c');
  });

  it('finally runs on both paths and keeps the outcome', async () => {
    const calls: string[] = [];
    expect(await succeed(1).finally(() => calls.push('ok'))).toBe(1);
    const err = new Error('f');
    await expect(fail(err).finally(() => calls.push('fail'))).rejects.toBe(err);
    expect(calls).toEqual(['ok', 'fail']);
  });

  it('asPromise resolves with the result', async () => {
    const d = new Deferred<string>();
    const p = d.asPromise();
    expect(p).toBeInstanceOf(Promise);
    d.callback('x');
    expect(await p).toBe('x');
  });

  it('a handler returning a Deferred is followed by the returned Promise', async () => {
    const inner = new Deferred<number>();
    const p = succeed(1).then(() => inner);
    setImmediate(() => inner.callback(5));
    expect(await p).toBe(5);
  });

  it('a then handler that throws rejects its Promise and leaves the Deferred alone', async () => {
    const d = succeed(1);
    const err = new Error('handler');
    await expect(
      d.then(() => {
        throw err;
      }),
    ).rejects.toBe(err);
    expect(d.result).toBe(1);
  });

  it('Promise.all and Promise.race accept Deferreds', async () => {
    expect(await Promise.all([succeed(1), succeed(2)])).toEqual([1, 2]);
    expect(await Promise.race([new Deferred(), succeed('fast')])).toBe('fast');
  });

  it('a rejection with a Failure value unwraps to the raw value', async () => {
    const f = new Failure('just a string');
    await expect(fail(f)).rejects.toBe('just a string');
  });
});

describe('Deferred.asPromise', () => {
  it('rejects with the raw error, not the Failure', async () => {
    const err = new Error('raw');
    await expect(fail(err).asPromise()).rejects.toBe(err);
  });
});
