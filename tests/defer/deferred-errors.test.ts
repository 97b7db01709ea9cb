import { describe, expect, it } from 'vitest';
import {
  AlreadyCalledError,
  CancelledError,
  Failure,
  FailureGroup,
  FirstError,
  QueueOverflow,
  QueueUnderflow,
  TimeoutError,
  WovenError,
} from '../../lib/index.js';

describe('defer errors', () => {
  it.each([
    [AlreadyCalledError, 'AlreadyCalledError', 'ERR_ALREADY_CALLED'],
    [CancelledError, 'CancelledError', 'ERR_CANCELLED'],
    [TimeoutError, 'TimeoutError', 'ERR_TIMEOUT'],
    [QueueOverflow, 'QueueOverflow', 'ERR_QUEUE_OVERFLOW'],
    [QueueUnderflow, 'QueueUnderflow', 'ERR_QUEUE_UNDERFLOW'],
  ] as const)('%o has a stable name and code and is a WovenError', (cls, name, code) => {
    const e = new cls('x');
    expect(e).toBeInstanceOf(WovenError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe(name);
    expect(e.code).toBe(code);
  });

  it('FirstError carries the failure and its index', () => {
    const f = new Failure(new Error('boom'));
    const e = new FirstError(f, 3);
    expect(e.failure).toBe(f);
    expect(e.index).toBe(3);
    expect(e.name).toBe('FirstError');
    expect(e.code).toBe('ERR_FIRST_ERROR');
    expect(e).toBeInstanceOf(WovenError);
  });

  it('FailureGroup carries every failure in order', () => {
    const fs = [new Failure(new Error('a')), new Failure(new Error('b'))];
    const e = new FailureGroup(fs);
    expect(e.failures).toEqual(fs);
    expect(e.name).toBe('FailureGroup');
    expect(e.code).toBe('ERR_FAILURE_GROUP');
  });
});
