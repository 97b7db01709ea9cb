import { describe, expect, it } from 'vitest';
import { Deferred, type Failure, fail, succeed } from '../../lib/index.js';

describe('Deferred pause', () => {
  it('pause holds callbacks until unpause, counting nested pauses', () => {
    const d = new Deferred<number>();
    const seen: number[] = [];
    d.pause();
    d.pause();
    d.addCallback((n) => seen.push(n));
    d.callback(1);
    expect(d.paused).toBe(2);
    expect(seen).toEqual([]);
    d.unpause();
    expect(seen).toEqual([]);
    d.unpause();
    expect(d.paused).toBe(0);
    expect(seen).toEqual([1]);
  });

  it('unpause before firing runs nothing', () => {
    const d = new Deferred<number>();
    const seen: number[] = [];
    d.addCallback((n) => seen.push(n));
    d.pause();
    d.unpause();
    expect(seen).toEqual([]);
    d.callback(4);
    expect(seen).toEqual([4]);
  });

  it('a callback added to a paused, fired Deferred waits for unpause', () => {
    const d = succeed(2);
    d.pause();
    const seen: number[] = [];
    d.addCallback((n) => seen.push(n));
    expect(seen).toEqual([]);
    d.unpause();
    expect(seen).toEqual([2]);
  });
});

describe('Deferred chainDeferred', () => {
  it('fires the other Deferred with the result, and this chain continues with undefined', () => {
    const d = new Deferred<number>();
    const other = new Deferred<number>();
    const seen: unknown[] = [];
    other.addCallback((n) => seen.push(['other', n]));
    d.chainDeferred(other).addCallback((r) => seen.push(['d', r]));
    d.callback(3);
    expect(seen).toEqual([
      ['other', 3],
      ['d', undefined],
    ]);
  });

  it('forwards a failure to the other Deferred and this chain recovers', () => {
    const d = new Deferred<number>();
    const other = new Deferred<number>();
    let got: Failure | undefined;
    other.addErrback((f) => {
      got = f;
    });
    d.chainDeferred(other);
    d.errback(new Error('x'));
    expect(got?.getErrorMessage()).toBe('x');
    expect(d.result).toBeUndefined();
  });
});

describe('Deferred chainDeferred, long chains', () => {
  it('100,000 chained links fire the end without overflowing the stack', () => {
    const n = 100_000;
    const links = Array.from({ length: n }, () => new Deferred<number>());
    for (let i = 0; i < n - 1; i++) links[i]!.chainDeferred(links[i + 1]!);
    let end: number | undefined;
    links[n - 1]!.addCallback((v) => {
      end = v;
    });
    links[0]!.callback(7);
    expect(end).toBe(7);
    expect(links[n / 2]!.result).toBeUndefined();
  });

  it('a failure crosses 100,000 links too', () => {
    const n = 100_000;
    const links = Array.from({ length: n }, () => new Deferred<number>());
    for (let i = 0; i < n - 1; i++) links[i]!.chainDeferred(links[i + 1]!);
    let message: string | undefined;
    links[n - 1]!.addErrback((f) => {
      message = f.getErrorMessage();
    });
    links[0]!.errback(new Error('deep'));
    expect(message).toBe('deep');
  });

  it('runs the chained Deferred before the rest of this chain, as a nested call would', () => {
    const seen: string[] = [];
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const c = new Deferred<number>();
    b.addCallback(() => {
      seen.push('b');
      a.addCallback(() => seen.push('a, added by b'));
    });
    b.chainDeferred(c);
    c.addCallback(() => seen.push('c'));
    a.chainDeferred(b).addCallback(() => seen.push('a'));
    a.callback(1);
    expect(seen).toEqual(['b', 'c', 'a', 'a, added by b']);
  });

  it('a link already fired fails this chain with AlreadyCalledError', () => {
    const other = succeed(1);
    const d = new Deferred<number>();
    d.chainDeferred(other);
    let name: string | undefined;
    d.addErrback((f) => {
      name = (f.value as Error).name;
    });
    d.callback(2);
    expect(name).toBe('AlreadyCalledError');
    expect(other.result).toBe(1);
  });

  it('a paused link lets this chain go on, and fires once unpaused', () => {
    const d = new Deferred<number>();
    const other = new Deferred<number>();
    other.pause();
    const seen: unknown[] = [];
    other.addCallback((v) => seen.push(['other', v]));
    d.chainDeferred(other).addCallback((v) => seen.push(['d', v]));
    d.callback(5);
    expect(seen).toEqual([['d', undefined]]);
    other.unpause();
    expect(seen).toEqual([
      ['d', undefined],
      ['other', 5],
    ]);
  });
});

describe('Deferred returned from a callback', () => {
  it('an unfired returned Deferred pauses the chain until it fires', () => {
    const inner = new Deferred<string>();
    const outer = succeed(1).addCallback(() => inner);
    const seen: string[] = [];
    outer.addCallback((s) => seen.push(s));
    expect(outer.paused).toBe(1);
    expect(outer.result).toBe(inner);
    expect(seen).toEqual([]);
    inner.callback('done');
    expect(seen).toEqual(['done']);
    expect(outer.paused).toBe(0);
    expect(inner.result).toBeUndefined();
  });

  it('a fired returned Deferred hands over its result at once, leaving it undefined', () => {
    const inner = succeed('now');
    const outer = succeed(1).addCallback(() => inner);
    expect(outer.result).toBe('now');
    expect(inner.result).toBeUndefined();
  });

  it('a failed returned Deferred puts the outer chain on the error path', () => {
    const inner = new Deferred<number>();
    const outer = succeed(1).addCallback(() => inner);
    const seen: unknown[] = [];
    outer.addErrback((f) => seen.push(f.value));
    inner.errback('bad');
    expect(seen).toEqual(['bad']);
  });

  it('a paused returned Deferred with a result is waited on (test_chainedPausedDeferredWithResult)', () => {
    const expected = {};
    const paused = succeed(expected);
    paused.pause();
    const chained = new Deferred<null>();
    chained.addCallback(() => paused);
    chained.callback(null);
    const result: unknown[] = [];
    chained.addCallback((r) => result.push(r));
    expect(result).toEqual([]);
    paused.unpause();
    expect(result).toEqual([expected]);
  });

  it('a paused outer does not stop the inner chain (test_pausedDeferredChained)', () => {
    const first = new Deferred<null>();
    const second = new Deferred<null>();
    first.addCallback(() => second);
    first.callback(null);
    first.pause();
    second.callback(null);
    const result: unknown[] = [];
    second.addCallback((r) => result.push(r));
    expect(result).toEqual([undefined]);
  });

  it('callbacks added to a middle Deferred run once the last fires', () => {
    const first = new Deferred<null>();
    const second = new Deferred<null>();
    const third = new Deferred<null>();
    first.addCallback(() => second);
    second.addCallback(() => third);
    second.callback(null);
    first.callback(null);
    third.callback(null);
    const results: unknown[] = [];
    second.addCallback((r) => results.push(r));
    expect(results).toEqual([undefined]);
  });

  it("the middle Deferred's own callbacks run before the outer gets the result (test_innerCallbacksPreserved)", () => {
    const results: unknown[] = [];
    const failures: Failure[] = [];
    const inner = new Deferred<string>();
    const outer = succeed('outer').addCallback((r) => {
      results.push(['start-of-cb', r]);
      return succeed('inner')
        .addCallback(() => {
          results.push(['firstCallback', 'inner']);
          return inner;
        })
        .addCallback((s) => {
          results.push(['secondCallback', s]);
          return s + s;
        })
        .addErrback((f) => {
          failures.push(f);
          return '';
        });
    });
    inner.callback('orange');
    outer.addCallback((r) => results.push(r));
    outer.addErrback((f) => failures.push(f));
    expect(failures).toEqual([]);
    expect(results).toEqual([
      ['start-of-cb', 'outer'],
      ['firstCallback', 'inner'],
      ['secondCallback', 'orange'],
      'orangeorange',
    ]);
  });

  it('10,000 nested returned Deferreds fire without overflowing the stack', () => {
    const n = 10_000;
    const leaves: Deferred<number>[] = [];
    let top = new Deferred<number>();
    const root = top;
    for (let i = 0; i < n; i++) {
      const next = new Deferred<number>();
      top.addCallback(() => next);
      leaves.push(next);
      top = next;
    }
    let got: number | undefined;
    root.addCallback((r) => {
      got = r;
    });
    // Fire from the root down: each fires and waits on the next.
    root.callback(0);
    for (let i = 0; i < n - 1; i++) leaves[i]!.callback(i);
    leaves[n - 1]!.callback(42);
    expect(got).toBe(42);
  });

  it('10,000 Deferreds fired last-to-first, each waiting on the next, unwind iteratively', () => {
    const n = 10_000;
    const ds = Array.from({ length: n }, () => new Deferred<number>());
    for (let i = 0; i < n - 1; i++) ds[i]!.addCallback(() => ds[i + 1]);
    for (let i = n - 2; i >= 0; i--) ds[i]!.callback(0);
    let got: number | undefined;
    ds[0]!.addCallback((r) => {
      got = r;
    });
    expect(ds[0]!.paused).toBe(1);
    ds[n - 1]!.callback(7);
    expect(got).toBe(7);
    expect(ds.every((d) => d.paused === 0)).toBe(true);
  });

  it('a callback returning its own Deferred fails the chain with a TypeError', () => {
    const d = new Deferred<number>();
    d.addCallback(() => d as unknown as number);
    let err: unknown;
    d.addErrback((f) => {
      err = f.value;
    });
    d.callback(1);
    expect(err).toBeInstanceOf(TypeError);
  });
});

describe('thenable returned from a callback', () => {
  it('a returned Promise pauses the chain until it settles', async () => {
    const d = succeed(1).addCallback(async (n) => n + 1);
    expect(d.paused).toBe(1);
    expect(await d).toBe(2);
    expect(d.result).toBe(2);
  });

  it('a rejected returned Promise takes the error path with the rejection value', async () => {
    const err = new Error('rej');
    const d = succeed(1).addCallback(() => Promise.reject(err));
    const f = await new Promise<Failure>((resolve) => d.addErrback(resolve));
    expect(f.value).toBe(err);
  });

  it('a thenable settling synchronously inside then continues at once', () => {
    const thenable = { then: (ok: (v: number) => void) => ok(5) };
    const d = succeed(1).addCallback(() => thenable as unknown as PromiseLike<number>);
    expect(d.paused).toBe(0);
    expect(d.result).toBe(5);
  });

  it('a thenable whose then throws takes the error path', () => {
    const d = succeed(1).addCallback(() => ({
      then() {
        throw new RangeError('no');
      },
    }));
    let got: unknown;
    d.addErrback((f) => {
      got = f.value;
    });
    expect(got).toBeInstanceOf(RangeError);
  });

  it('only the first settlement of a thenable counts', () => {
    let ok!: (v: number) => void;
    let bad!: (e: unknown) => void;
    const thenable = {
      then(a: (v: number) => void, b: (e: unknown) => void) {
        ok = a;
        bad = b;
      },
    };
    const d = succeed(1).addCallback(() => thenable as unknown as PromiseLike<number>);
    ok(3);
    bad(new Error());
    ok(4);
    expect(d.result).toBe(3);
  });

  it('a non-callable then property is a plain value', () => {
    const value = { then: 5 };
    expect(succeed(1).addCallback(() => value).result).toBe(value);
  });
});

describe('errback conversions', () => {
  it('errback with no argument fails with an undefined value', () => {
    const d = new Deferred();
    let f: Failure | undefined;
    d.addErrback((x) => {
      f = x;
    });
    d.errback();
    expect(f?.value).toBeUndefined();
  });

  it('a failure passes through callbacks untouched until an errback', () => {
    const err = new Error('keep');
    const d = fail(err)
      .addCallback(() => 1)
      .addCallback(() => 2);
    expect((d.result as Failure).value).toBe(err);
    d.addErrback(() => null);
  });
});
