import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeNetstring,
  FrameTooLong,
  FramingError,
  netstrings,
  UnexpectedEOF,
} from '../../../lib/index.js';
import { b, chunked, collect, cutAt, strs } from './helpers.js';

const decode = (data: string, maxLength?: number) =>
  collect(netstrings([b(data)], maxLength === undefined ? {} : { maxLength }));

describe('encodeNetstring', () => {
  it('encodes strings as UTF-8 and bytes as they are', () => {
    expect(Buffer.from(encodeNetstring('hello')).toString()).toBe('5:hello,');
    expect(Buffer.from(encodeNetstring('é')).toString('latin1')).toBe('2:\xc3\xa9,');
    expect(Buffer.from(encodeNetstring(new Uint8Array())).toString()).toBe('0:,');
  });
});

describe('netstrings', () => {
  const strings = ['hello', 'world', 'how', 'are', 'you123', ':today', 'a'.repeat(515)];

  it('decodes the same strings for every chunk size from 1 to 9', async () => {
    const data = Buffer.concat(strings.map((s) => encodeNetstring(s)));
    for (let size = 1; size <= 9; size++) {
      const out = await collect(netstrings(chunked(data, size), { maxLength: 699 }));
      expect(strs(out)).toEqual(strings);
    }
  });

  it('decodes empty, one- and two-character and nested netstrings', async () => {
    expect(strs(await decode('0:,'))).toEqual(['']);
    expect(strs(await decode('1:a,'))).toEqual(['a']);
    expect(strs(await decode('2:ab,'))).toEqual(['ab']);
    expect(strs(await decode('4:1:a,,'))).toEqual(['1:a,']);
  });

  it.each([
    ['more data than declared', '2:aaa,', 4],
    ['data in an empty netstring', '0:a,', 2],
    ['a missing length', ':aaa,', 0],
    ['a missing colon', '3aaa,', 1],
    ['no length and no colon', 'aaa,', 0],
    ['a leading zero', '01:a,', 1],
  ])('rejects %s with FramingError at the offending byte', async (_what, data, offset) => {
    const err = await decode(data).catch((e) => e);
    expect(err).toBeInstanceOf(FramingError);
    expect(err.code).toBe('ERR_FRAMING');
    expect(err.offset).toBe(offset);
  });

  it('reports the offset within the whole stream, past earlier netstrings', async () => {
    const err = await collect(netstrings([b('1:a,'), b('2:bcX')])).catch((e) => e);
    expect(err).toBeInstanceOf(FramingError);
    expect(err.offset).toBe(8);
  });

  it('rejects a declared length over maxLength as soon as the digits show it', async () => {
    const err = await decode(`51:${'a'.repeat(51)},`, 50).catch((e) => e);
    expect(err).toBeInstanceOf(FrameTooLong);
    expect(err.offset).toBe(0);
    const huge = await collect(netstrings([b('9999999999999999999999')])).catch((e) => e);
    expect(huge).toBeInstanceOf(FrameTooLong);
  });

  it('accepts a netstring of exactly maxLength bytes', async () => {
    expect(strs(await decode('12:aaaaaaaaaaaa,', 12))).toEqual(['aaaaaaaaaaaa']);
  });

  it('throws UnexpectedEOF with the partial netstring when the stream stops inside one', async () => {
    const err = await decode('1:a,5:ab').catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedEOF);
    expect(Buffer.from(err.partial).toString()).toBe('5:ab');
    expect(err.offset).toBe(8);
  });

  it('decodes any chunking of valid netstrings to the same payloads (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (payloads, cuts) => {
          const data = Buffer.concat(payloads.map((p) => encodeNetstring(p)));
          const out = await collect(netstrings(cutAt(data, cuts)));
          expect(out.map((x) => Buffer.from(x))).toEqual(payloads.map((p) => Buffer.from(p)));
        },
      ),
    );
  });
});
