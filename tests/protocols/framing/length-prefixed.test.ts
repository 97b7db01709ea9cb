import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeLengthPrefixed,
  FrameTooLong,
  lengthPrefixed,
  type PrefixBytes,
  StringTooLongError,
  UnexpectedEOF,
} from '../../../lib/index.js';
import { b, chunked, collect, cutAt, strs } from './helpers.js';

describe('encodeLengthPrefixed', () => {
  it('prefixes a big-endian length of 1, 2 or 4 bytes (4 by default)', () => {
    expect(Buffer.from(encodeLengthPrefixed('foo'))).toEqual(b('\x00\x00\x00\x03foo'));
    expect(Buffer.from(encodeLengthPrefixed('foo', 2))).toEqual(b('\x00\x03foo'));
    expect(Buffer.from(encodeLengthPrefixed('foo', 1))).toEqual(b('\x03foo'));
    expect(Buffer.from(encodeLengthPrefixed(new Uint8Array(300), 2)).subarray(0, 2)).toEqual(
      Buffer.from([1, 44]),
    );
  });

  it('refuses data too long for the prefix with StringTooLongError', () => {
    expect(encodeLengthPrefixed(new Uint8Array(255), 1).length).toBe(256);
    expect(() => encodeLengthPrefixed(new Uint8Array(256), 1)).toThrow(StringTooLongError);
    expect(() => encodeLengthPrefixed(new Uint8Array(2 ** 16 + 1), 2)).toThrow(StringTooLongError);
  });

  it('rejects a prefix size other than 1, 2 or 4', () => {
    expect(() => encodeLengthPrefixed('x', 3 as PrefixBytes)).toThrow(RangeError);
    expect(() => lengthPrefixed([], { prefixBytes: 8 as PrefixBytes })).toThrow(RangeError);
  });
});

describe.each([1, 2, 4] as const)('lengthPrefixed with %i-byte prefixes', (prefixBytes) => {
  const strings = ['a', 'b'.repeat(16), '', 'hello there'];

  it('decodes the same strings for every chunk size from 1 to 9', async () => {
    const data = Buffer.concat(strings.map((s) => encodeLengthPrefixed(s, prefixBytes)));
    for (let size = 1; size <= 9; size++) {
      const out = await collect(lengthPrefixed(chunked(data, size), { prefixBytes }));
      expect(strs(out)).toEqual(strings);
    }
  });

  it('throws FrameTooLong for a prefix over maxLength, before the payload arrives', async () => {
    const frame = encodeLengthPrefixed('x'.repeat(11), prefixBytes);
    const head = Buffer.from(frame).subarray(0, prefixBytes);
    const ok = encodeLengthPrefixed('ok', prefixBytes);
    const err = await collect(lengthPrefixed([ok, head], { prefixBytes, maxLength: 10 })).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(FrameTooLong);
    expect(err.offset).toBe(prefixBytes + 2);
    expect(err.length).toBe(11);
  });

  it('throws UnexpectedEOF with the partial frame when the stream stops inside one', async () => {
    const frame = Buffer.from(encodeLengthPrefixed('hello', prefixBytes));
    const err = await collect(
      lengthPrefixed([frame.subarray(0, prefixBytes + 2)], { prefixBytes }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedEOF);
    expect(Buffer.from(err.partial)).toEqual(frame.subarray(0, prefixBytes + 2));
  });

  it('decodes any chunking of valid frames to the same payloads (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 60 }), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (payloads, cuts) => {
          const data = Buffer.concat(payloads.map((p) => encodeLengthPrefixed(p, prefixBytes)));
          const out = await collect(lengthPrefixed(cutAt(data, cuts), { prefixBytes }));
          expect(out.map((x) => Buffer.from(x))).toEqual(payloads.map((p) => Buffer.from(p)));
        },
      ),
    );
  });
});
