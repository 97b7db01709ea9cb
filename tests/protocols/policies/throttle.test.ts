import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  Clock,
  type Connection,
  connectionPair,
  throttle,
} from '../../../lib/index.js';
import { settle } from './helpers.js';
import { abortListeners } from '../../helpers.js';

const open: Connection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.abort();
});

function pair(): [Connection, Connection] {
  const ends = connectionPair();
  open.push(...ends);
  return ends;
}

/** Advance `clock` in `step`s, letting the connections run, until `done()` or `limit` seconds. */
async function runUntil(clock: Clock, done: () => boolean, step = 0.05, limit = 60) {
  while (!done() && clock.seconds() < limit) {
    await settle();
    clock.advance(step);
  }
  await settle();
}

/** Count what `conn` receives until it ends (or is aborted by afterEach). */
async function drain(conn: Connection, counter: { bytes: number }) {
  try {
    for await (const chunk of conn) counter.bytes += chunk.byteLength;
  } catch {
    // aborted at the end of the test
  }
}

describe('throttle(conn, { writeLimit })', () => {
  it('a 10 KiB write at 1 KiB/s resolves after 10 s, its bytes spread over them', async () => {
    const clock = new Clock();
    const [a, b] = pair();
    const slow = throttle(a, { writeLimit: 1024, clock });
    const got = { bytes: 0 };
    void drain(b, got);
    let finished: number | undefined;
    void slow.write(Buffer.alloc(10 * 1024)).then(() => {
      finished = clock.seconds();
    });
    await runUntil(clock, () => clock.seconds() >= 5);
    expect(got.bytes).toBeGreaterThan(4 * 1024);
    expect(got.bytes).toBeLessThanOrEqual(6 * 1024);
    await runUntil(clock, () => finished !== undefined);
    expect(finished).toBeGreaterThanOrEqual(10 - 1e-9);
    expect(finished).toBeLessThanOrEqual(10.05 + 1e-9);
    expect(got.bytes).toBe(10 * 1024);
    expect(abortListeners(a.signal)).toBe(0);
  });

  it('aborting the write signal rejects with an AbortError and removes the listener', async () => {
    const clock = new Clock();
    const [a] = pair();
    const slow = throttle(a, { writeLimit: 100, clock });
    const ac = new AbortController();
    const writing = slow.write(Buffer.alloc(1000), { signal: ac.signal });
    await settle();
    ac.abort('enough');
    const error = await writing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe('enough');
    expect(abortListeners(ac.signal)).toBe(0);
    expect(abortListeners(a.signal)).toBe(0);
  });

  it('a limit that is not a positive number is a RangeError', () => {
    const [a] = pair();
    expect(() => throttle(a, { readLimit: 0 })).toThrow(RangeError);
    expect(() => throttle(a, { writeLimit: Number.NaN })).toThrow(RangeError);
  });
});

describe('throttle(conn, { readLimit })', () => {
  it('pulls chunks no faster than the limit', async () => {
    const clock = new Clock();
    const [a, b] = pair();
    const slow = throttle(b, { readLimit: 1000, clock });
    for (let i = 0; i < 5; i += 1) void a.write(Buffer.alloc(1000));
    void a.end();
    const got = { bytes: 0 };
    let ended = false;
    void drain(slow, got).then(() => {
      ended = true;
    });
    await runUntil(clock, () => clock.seconds() >= 2.5);
    expect(got.bytes).toBeGreaterThanOrEqual(2000);
    expect(got.bytes).toBeLessThanOrEqual(4000);
    await runUntil(clock, () => ended);
    expect(got.bytes).toBe(5000);
    expect(clock.seconds()).toBeGreaterThanOrEqual(4);
  });
});
