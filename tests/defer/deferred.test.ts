import { describe, expect, it } from 'vitest';
import {
  AlreadyCalledError,
  CancelledError,
  Deferred,
  ensureDeferred,
  Failure,
  fail,
  maybeDeferred,
  succeed,
} from '../../lib/index.js';

/** Record everything a chain's end sees. */
function observe<T>(d: Deferred<T>): { results: unknown[]; failures: Failure[] } {
  const seen = { results: [] as unknown[], failures: [] as Failure[] };
  d.addCallbacks(
    (r) => {
      seen.results.push(r);
    },
    (f) => {
      seen.failures.push(f);
    },
  );
  return seen;
}

describe('Deferred firing', () => {
  it('runs callbacks synchronously when fired, with extra arguments', () => {
    const d = new Deferred<string>();
    const calls: unknown[][] = [];
    d.addCallback(
      (r, a: number, b: string) => {
        calls.push([r, a, b]);
        return r;
      },
      1,
      'two',
    );
    expect(calls).toEqual([]);
    d.callback('hello');
    expect(calls).toEqual([['hello', 1, 'two']]);
  });

  it('runs callbacks added after firing at once', () => {
    const d = succeed(5);
    let got: number | undefined;
    d.addCallback((r) => {
      got = r;
    });
    expect(got).toBe(5);
  });

  it('passes each callback the previous result', () => {
    const d = new Deferred<number>();
    const seen = observe(d.addCallback((n) => n + 1).addCallback((n) => n * 10));
    d.callback(1);
    expect(seen.results).toEqual([20]);
  });

  it('errback wraps a non-Failure reason in a Failure', () => {
    const d = new Deferred();
    const seen = observe(d);
    const err = new Error('x');
    d.errback(err);
    expect(seen.failures).toHaveLength(1);
    expect(seen.failures[0]).toBeInstanceOf(Failure);
    expect(seen.failures[0]!.value).toBe(err);
  });

  it('errback passes a Failure through as is', () => {
    const f = new Failure(new Error('x'));
    const seen = observe(fail(f));
    expect(seen.failures[0]).toBe(f);
  });

  it('callback with a Failure takes the error path', () => {
    const d = new Deferred();
    const seen = observe(d);
    const f = new Failure(new RangeError('r'));
    d.callback(f);
    expect(seen.results).toEqual([]);
    expect(seen.failures).toEqual([f]);
  });

  it('a second callback or errback throws AlreadyCalledError', () => {
    const d = succeed(1);
    expect(() => d.callback(2)).toThrow(AlreadyCalledError);
    expect(() => d.errback(new Error())).toThrow(AlreadyCalledError);
    const e = fail(new Error('x')).addErrback(() => null);
    expect(() => e.callback(null)).toThrow(AlreadyCalledError);
  });

  it('callback with a Deferred is refused', () => {
    expect(() => new Deferred().callback(new Deferred() as never)).toThrow(TypeError);
  });

  it('called and result track the chain', () => {
    const d = new Deferred<number>();
    expect(d.called).toBe(false);
    expect(d.result).toBeUndefined();
    d.callback(3);
    expect(d.called).toBe(true);
    expect(d.result).toBe(3);
    d.addCallback((n) => n * 2);
    expect(d.result).toBe(6);
  });
});

describe('Deferred paths', () => {
  it('a throwing callback switches to the error path', () => {
    const err = new Error('boom');
    const seen = observe(
      succeed(1).addCallback(() => {
        throw err;
      }),
    );
    expect(seen.failures[0]!.value).toBe(err);
  });

  it('a callback returning a Failure switches to the error path', () => {
    const f = new Failure('s');
    const seen = observe(succeed(1).addCallback(() => f));
    expect(seen.failures).toEqual([f]);
  });

  it('an errback returning a value switches back to the success path', () => {
    const seen = observe(fail(new Error('x')).addErrback(() => 'recovered'));
    expect(seen.results).toEqual(['recovered']);
  });

  it('a trap that does not match keeps the same Failure on the error path', () => {
    const f = new Failure(new TypeError('t'));
    const seen = observe(fail(f).addErrback((g) => g.trap(RangeError)));
    expect(seen.failures[0]).toBe(f);
  });

  it('callbacks are skipped on the error path and errbacks on the success path', () => {
    const calls: string[] = [];
    const d = fail(new Error('x'))
      .addCallback(() => calls.push('cb'))
      .addErrback(() => {
        calls.push('eb');
        return 1;
      })
      .addErrback(() => calls.push('eb2'))
      .addCallback(() => calls.push('cb2'));
    expect(calls).toEqual(['eb', 'cb2']);
    expect(d.result).toBe(2);
  });

  it('addBoth sees both results and failures', () => {
    const seen: unknown[] = [];
    succeed(1).addBoth((r) => seen.push(r));
    const f = new Failure(new Error());
    fail(f)
      .addBoth((r) => {
        seen.push(r);
      })
      .addErrback(() => undefined);
    expect(seen).toEqual([1, f]);
  });

  it('addCallbacks runs exactly one side, with its own arguments', () => {
    const calls: unknown[][] = [];
    succeed(1).addCallbacks(
      (r, ...a: unknown[]) => calls.push(['cb', r, ...a]),
      (f, ...a: unknown[]) => calls.push(['eb', f.value, ...a]),
      { callbackArgs: ['c'], errbackArgs: ['e'] },
    );
    fail('bad').addCallbacks(
      (r, ...a: unknown[]) => calls.push(['cb', r, ...a]),
      (f, ...a: unknown[]) => calls.push(['eb', f.value, ...a]),
      { callbackArgs: ['c'], errbackArgs: ['e'] },
    );
    expect(calls).toEqual([
      ['cb', 1, 'c'],
      ['eb', 'bad', 'e'],
    ]);
  });

  it('addCallbacks with a missing side passes that path through', () => {
    const seen = observe(succeed(7).addCallbacks(null, () => 0));
    expect(seen.results).toEqual([7]);
  });

  it('a callback adding callbacks to its own Deferred runs them after itself, in order', () => {
    const order: string[] = [];
    const d = new Deferred<number>();
    d.addCallback((r) => {
      order.push('first');
      d.addCallback((x) => {
        order.push('added');
        return x;
      });
      return r;
    }).addCallback((r) => {
      order.push('second');
      return r;
    });
    d.callback(1);
    expect(order).toEqual(['first', 'second', 'added']);
  });
});

describe('maybeDeferred, succeed, fail, ensureDeferred', () => {
  it('maybeDeferred wraps a return value', () => {
    expect(maybeDeferred((a: number, b: number) => a + b, 1, 2).result).toBe(3);
  });

  it('maybeDeferred turns a thrown error into a failed Deferred', () => {
    const err = new Error('e');
    const d = maybeDeferred(() => {
      throw err;
    });
    const seen = observe(d);
    expect(seen.failures[0]!.value).toBe(err);
  });

  it('maybeDeferred returns a returned Deferred as is', () => {
    const inner = new Deferred<number>();
    expect(maybeDeferred(() => inner)).toBe(inner);
  });

  it('maybeDeferred treats a returned Failure as a failure', () => {
    const f = new Failure(new Error());
    expect(observe(maybeDeferred(() => f)).failures).toEqual([f]);
  });

  it('maybeDeferred follows a returned thenable', async () => {
    const d = maybeDeferred(async () => 9);
    expect(d.called).toBe(false);
    expect(await d).toBe(9);
  });

  it('ensureDeferred returns a Deferred as is and wraps a Promise', async () => {
    const d = new Deferred();
    expect(ensureDeferred(d)).toBe(d);
    const e = ensureDeferred(Promise.reject(new RangeError('r')));
    const failure = await new Promise<Failure>((resolve) => e.addErrback(resolve));
    expect(failure.value).toBeInstanceOf(RangeError);
  });

  it('ensureDeferred refuses a value that is neither a Deferred nor a thenable', () => {
    expect(() => ensureDeferred('something' as never)).toThrow(TypeError);
  });

  it('adding a callback that is not a function is refused at once', () => {
    const d = new Deferred();
    expect(() => d.addCallback(5 as never)).toThrow(TypeError);
    expect(() => d.addErrback('x' as never)).toThrow(TypeError);
    expect(() => d.addCallbacks({} as never)).toThrow(TypeError);
  });

  it('addCallbacks accepts null argument lists', () => {
    const seen: unknown[] = [];
    succeed(1).addCallbacks((r) => seen.push(r), null, {
      callbackArgs: null as never,
      errbackArgs: null as never,
    });
    expect(seen).toEqual([1]);
  });

  it('fail with a Failure keeps it', () => {
    const f = new Failure(1);
    expect(fail(f).addErrback((g) => g).result).toBe(f);
  });
});

describe('Deferred cancel (basic)', () => {
  it('cancel without a canceller fails with CancelledError', () => {
    const d = new Deferred();
    const seen = observe(d);
    d.cancel();
    expect(seen.failures[0]!.value).toBeInstanceOf(CancelledError);
  });

  it('cancel calls the canceller with the Deferred', () => {
    const calls: Deferred<number>[] = [];
    const d = new Deferred<number>((x) => calls.push(x));
    observe(d);
    d.cancel();
    expect(calls).toEqual([d]);
    expect(d.called).toBe(true);
  });

  it('a canceller that fires the Deferred wins', () => {
    const d = new Deferred<string>((x) => x.callback('cancelled nicely'));
    const seen = observe(d);
    d.cancel();
    expect(seen.results).toEqual(['cancelled nicely']);
  });

  it('cancelling a fired Deferred does nothing', () => {
    const d = succeed(1);
    d.cancel();
    expect(d.result).toBe(1);
  });
});

describe('Deferred chain building', () => {
  it('addCallback/addErrback/addBoth/addCallbacks return the same object', () => {
    const d = new Deferred<number>();
    expect(d.addCallback((x) => x)).toBe(d);
    expect(d.addErrback((f) => f)).toBe(d);
    expect(d.addBoth((x) => x)).toBe(d);
    expect(d.addCallbacks((x) => x)).toBe(d);
    d.callback(1);
  });

  it('extra arguments are passed after the result, to errbacks too', () => {
    const e = observe(
      fail(new Error('x')).addErrback((_f: Failure, tag: string) => tag, 'handled'),
    );
    expect(e.results).toEqual(['handled']);
    const c = observe(
      succeed(1).addCallbacks((x: number, y: number) => x * y, undefined, { callbackArgs: [10] }),
    );
    expect(c.results).toEqual([10]);
  });
});

describe('Deferred cancel with a canceller that does not fire it', () => {
  it('calls the canceller, then fails with CancelledError', () => {
    const calls: unknown[] = [];
    const d = new Deferred<number>((x) => calls.push(x));
    const seen = observe(d);
    d.cancel();
    expect(calls).toEqual([d]);
    expect(seen.failures[0]?.check(CancelledError)).toBe(CancelledError);
  });
});
