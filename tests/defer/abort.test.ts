import { isAbortError, race as raceX } from 'abort-controller-x';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  CancelledError,
  cancelOnSignal,
  Deferred,
  Failure,
  succeed,
} from '../../lib/index.js';
import { failureResultOf, abortListeners } from '../helpers.js';

describe('AbortError', () => {
  it('is a CancelledError named and coded as Node names an abort', () => {
    const reason = new Error('why');
    const e = new AbortError(undefined, { cause: reason });
    expect(e).toBeInstanceOf(CancelledError);
    expect(e.name).toBe('AbortError');
    expect(e.code).toBe('ABORT_ERR');
    expect(e.message).toBe('The operation was aborted');
    expect(e.cause).toBe(reason);
    expect(isAbortError(e)).toBe(true);
    expect(new Failure(e).trap(CancelledError)).toBe(CancelledError);
  });

  it('matches what Node rejects with for an aborted operation', async () => {
    const { setTimeout: sleep } = await import('node:timers/promises');
    const node = await sleep(10, undefined, { signal: AbortSignal.abort('x') }).catch((e) => e);
    const ours = AbortError.fromSignal(AbortSignal.abort('x'));
    expect([ours.name, ours.code]).toEqual([node.name, node.code]);
    expect(ours.cause).toBe(node.cause);
  });
});

describe('cancelOn', () => {
  it('fails with an AbortError whose cause is signal.reason', () => {
    const ac = new AbortController();
    const d = new Deferred<number>().cancelOn(ac.signal);
    const reason = new Error('user left');
    ac.abort(reason);
    const f = failureResultOf(d, AbortError);
    expect(f.trap(CancelledError)).toBe(CancelledError);
    expect((f.value as AbortError).cause).toBe(reason);
    expect(abortListeners(ac.signal)).toBe(0);
  });

  it('fails with an AbortError at once on an already aborted signal', () => {
    const signal = AbortSignal.abort('gone');
    const f = failureResultOf(new Deferred<number>().cancelOn(signal), AbortError);
    expect((f.value as AbortError).cause).toBe('gone');
  });

  it('turns the CancelledError a canceller fails with into an AbortError, keeping its message', () => {
    const ac = new AbortController();
    const d = new Deferred<number>((self) => self.errback(new CancelledError('attempt stopped')));
    d.cancelOn(ac.signal);
    ac.abort();
    const f = failureResultOf(d, AbortError);
    expect(f.getErrorMessage()).toBe('attempt stopped');
    expect((f.value as AbortError).cause).toBe(ac.signal.reason);
  });

  it('keeps a value a canceller fires with, and any other error', () => {
    const ac = new AbortController();
    const d = new Deferred<string>((self) => self.callback('fallback')).cancelOn(ac.signal);
    ac.abort();
    expect(d.result).toBe('fallback');
    const other = new Deferred<string>((self) => self.errback(new RangeError('no')));
    other.cancelOn(new AbortController().signal);
    const bc = new AbortController();
    other.cancelOn(bc.signal);
    bc.abort();
    failureResultOf(other, RangeError);
  });

  it('a plain cancel() keeps CancelledError, named CancelledError', () => {
    const ac = new AbortController();
    const d = new Deferred<number>().cancelOn(ac.signal);
    d.cancel();
    const f = failureResultOf(d, CancelledError);
    expect(f.value).not.toBeInstanceOf(AbortError);
    expect((f.value as Error).name).toBe('CancelledError');
    expect(abortListeners(ac.signal)).toBe(0);
  });

  it('does nothing to a Deferred that fired before the abort, and removes its listener', () => {
    const ac = new AbortController();
    const d = succeed(1).cancelOn(ac.signal);
    expect(abortListeners(ac.signal)).toBe(0);
    ac.abort();
    expect(d.result).toBe(1);
  });

  it('rejects `await` with the AbortError', async () => {
    const ac = new AbortController();
    const d = new Deferred<number>().cancelOn(ac.signal);
    queueMicrotask(() => ac.abort());
    const e = await d.then(
      () => null,
      (x: unknown) => x,
    );
    expect(isAbortError(e)).toBe(true);
    expect(e).toBeInstanceOf(CancelledError);
  });
});

describe('Deferred.fromAsync', () => {
  it('aborts its signal with an AbortError that is a CancelledError', () => {
    let seen: AbortSignal | undefined;
    const d = Deferred.fromAsync((signal) => {
      seen = signal;
      return new Promise<never>(() => {});
    });
    d.cancel();
    expect(seen?.reason).toBeInstanceOf(AbortError);
    expect(isAbortError(seen?.reason)).toBe(true);
    failureResultOf(d, CancelledError);
  });
});

describe('cancelOnSignal', () => {
  it('returns the operation untouched without a signal', () => {
    const d = new Deferred<number>();
    expect(cancelOnSignal(d, undefined)).toBe(d);
    d.callback(1);
  });

  it('stops waiting for a Promise with an AbortError', () => {
    const ac = new AbortController();
    const d = cancelOnSignal(new Promise<number>(() => {}), ac.signal);
    ac.abort('stop');
    expect((failureResultOf(d, AbortError).value as AbortError).cause).toBe('stop');
    expect(abortListeners(ac.signal)).toBe(0);
  });
});

describe('abort-controller-x', () => {
  it('race resolves with the winner and the loser aborts quietly', async () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const outer = new AbortController();
    const p = raceX(outer.signal, (s) => [d1.cancelOn(s), d2.cancelOn(s)]);
    d1.callback('first');
    await expect(p).resolves.toBe('first');
    expect(d2.called).toBe(true);
    expect(abortListeners(outer.signal)).toBe(0);
  });
});
