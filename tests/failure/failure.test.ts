import { describe, expect, it } from 'vitest';
import { Failure, WovenError } from '../../lib/index.js';

class Boom extends Error {}

describe('Failure', () => {
  it('keeps whatever was thrown, undefined included', () => {
    expect(new Failure(undefined).value).toBeUndefined();
    expect(new Failure(undefined).type).toBeUndefined();
    expect(new Failure('x').getErrorMessage()).toBe('x');
  });

  it('trap returns the matching type and rethrows the same Failure otherwise', () => {
    const f = new Failure(new Boom('bad'));
    expect(f.trap(TypeError, Boom)).toBe(Boom);
    expect(f.type).toBe(Boom);
    let thrown: unknown;
    try {
      f.trap(TypeError);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(f);
  });

  it('check returns null when nothing matches', () => {
    expect(new Failure(new Boom()).check(TypeError)).toBeNull();
    expect(new Failure(new Boom()).check(Error)).toBe(Error);
  });

  it('raiseException throws the original error and getTraceback has its stack', () => {
    const e = new Boom('b');
    const f = new Failure(e);
    expect(() => f.raiseException()).toThrow(e);
    expect(f.getTraceback()).toContain('b');
    expect(new Failure(7).getTraceback()).toBe('number: 7');
  });

  it('a Failure of a Failure wraps the same value', () => {
    const inner = new Failure(new Boom());
    expect(new Failure(inner).value).toBe(inner.value);
  });

  it('WovenError has a stable name and code', () => {
    const e = new WovenError('x');
    expect(e.name).toBe('WovenError');
    expect(e.code).toBe('ERR_WOVEN');
  });
});

describe('Failure of an Error', () => {
  it("getErrorMessage is the error's message", () => {
    expect(new Failure(new Error('msg')).getErrorMessage()).toBe('msg');
  });
});
