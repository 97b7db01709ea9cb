import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameTooLong, FramingError, lines, UnexpectedEOF } from '../../../lib/index.js';
import { b, chunked, collect, cutAt, source, strs } from './helpers.js';

describe('lines', () => {
  it('yields CRLF-delimited lines without their delimiters', async () => {
    const out = await collect(lines([b('one\r\ntwo\r\n\r\nthree\r\n')]));
    expect(strs(out)).toEqual(['one', 'two', '', 'three']);
  });

  it('decodes lines to strings when an encoding is given', async () => {
    const out = await collect(lines([b('héllo\nwörld\n')], { delimiter: '\n', encoding: 'utf8' }));
    expect(out).toEqual(['héllo', 'wörld']);
  });

  it('accepts a bytes delimiter, even one split across chunks', async () => {
    const data = b('a<END>bb<END>ccc<END>');
    for (let size = 1; size <= 9; size++) {
      const out = await collect(lines(chunked(data, size), { delimiter: b('<END>') }));
      expect(strs(out)).toEqual(['a', 'bb', 'ccc']);
    }
  });

  it('gives the same lines for every chunk size from 1 to 9', async () => {
    const data = b('len 10\r\n0123456789\r\n\r\nfoo 123\r\nx\r\n');
    for (let size = 1; size <= 9; size++) {
      const out = await collect(lines(chunked(data, size)));
      expect(strs(out)).toEqual(['len 10', '0123456789', '', 'foo 123', 'x']);
    }
  });

  it('throws UnexpectedEOF carrying the unterminated last line', async () => {
    const err = await collect(lines([b('ok\r\npart')])).catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedEOF);
    expect(err).toBeInstanceOf(FramingError);
    expect(err.code).toBe('ERR_UNEXPECTED_EOF');
    expect(err.name).toBe('UnexpectedEOF');
    expect(Buffer.from(err.partial).toString()).toBe('part');
    expect(err.offset).toBe(8);
  });

  it('throws FrameTooLong with the offset of the over-long line', async () => {
    const err = await collect(
      lines([b('short\r\n'), b('x'.repeat(11)), b('\r\n')], { maxLength: 10 }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(FrameTooLong);
    expect(err.code).toBe('ERR_FRAME_TOO_LONG');
    expect(err.offset).toBe(7);
    expect(err.maxLength).toBe(10);
  });

  it('accepts a line of exactly maxLength bytes', async () => {
    const out = await collect(lines(chunked(b(`${'x'.repeat(10)}\r\n`), 1), { maxLength: 10 }));
    expect(strs(out)).toEqual(['x'.repeat(10)]);
  });

  it('detects an endless line without waiting for a delimiter', async () => {
    const endless = {
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < 1000; i++) yield b('xxxxxxxxxx');
      },
    };
    const err = await collect(lines(endless, { maxLength: 100 })).catch((e) => e);
    expect(err).toBeInstanceOf(FrameTooLong);
    expect(err.offset).toBe(0);
  });

  it('pulls from the source only when it needs more bytes', async () => {
    const { iterable, state } = source([b('a\r\nb\r\n'), b('c\r\n')]);
    const it = lines(iterable)[Symbol.asyncIterator]();
    await it.next();
    await it.next();
    expect(state.pulled).toBe(1);
    await it.next();
    expect(state.pulled).toBe(2);
  });

  it('closes the source when the consumer leaves early', async () => {
    const { iterable, state } = source([b('a\r\nb\r\n'), b('c\r\n')]);
    for await (const _ of lines(iterable)) break;
    expect(state.returned).toBe(true);
  });

  it('rejects an empty delimiter', () => {
    expect(() => lines([], { delimiter: '' })).toThrow(RangeError);
  });

  it('decodes any chunking of a valid stream to the same lines (property)', async () => {
    const line = fc
      .stringMatching(/^[a-z\r ]{0,20}$/)
      .filter((s) => !s.includes('\r\n') && !s.endsWith('\r'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (ls, cuts) => {
          const data = b(ls.map((l) => `${l}\r\n`).join(''));
          const out = await collect(lines(cutAt(data, cuts), { encoding: 'latin1' }));
          expect(out).toEqual(ls);
        },
      ),
    );
  });

  it('decodes UTF-8 lines cut anywhere, inside characters too, batched or not (property)', async () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((t) => !/[\r\n]/.test(t));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (ls, cuts) => {
          const data = Buffer.from(ls.map((l) => `${l}\n`).join(''));
          const opts = { delimiter: '\n', encoding: 'utf8' as const };
          expect(await collect(lines(cutAt(data, cuts), opts))).toEqual(ls);
          const batches = await collect(lines(cutAt(data, cuts), { ...opts, batch: true }));
          expect(batches.flat()).toEqual(ls);
        },
      ),
    );
  });

  it('decodes text lines exactly as it decodes byte lines, errors and offsets included (property)', async () => {
    /** The lines taken (byte lines decoded with `encoding`), and how it ended: the error's class and offset. */
    const outcome = async (it: AsyncIterable<unknown>, encoding: BufferEncoding) => {
      const out: string[] = [];
      try {
        for await (const item of it) {
          for (const line of Array.isArray(item) ? item : [item]) {
            out.push(
              typeof line === 'string' ? line : Buffer.from(line as Uint8Array).toString(encoding),
            );
          }
        }
        return { out, end: 'done' };
      } catch (e) {
        return { out, end: `${(e as Error).name} ${(e as FrameTooLong).offset}` };
      }
    };
    const unit = fc.constantFrom('a', 'é', '€', '😀', '\r', '\n', '\uFFFD');
    const piece = fc.oneof(
      fc.string({ unit, maxLength: 8 }).map((t) => Buffer.from(t)),
      fc.uint8Array({ maxLength: 8 }).map((u) => Buffer.from(u)),
      fc.constantFrom('\n', '\r\n', 'ab').map((d) => Buffer.from(d)),
    );
    const bytes = fc.array(piece, { maxLength: 12 }).map((ps) => Buffer.concat(ps));
    await fc.assert(
      fc.asyncProperty(
        bytes,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom<BufferEncoding>('utf8', 'latin1'),
        fc.constantFrom('\n', '\r\n', 'ab'),
        async (data, cuts, maxLength, encoding, delimiter) => {
          const opts = { maxLength, delimiter };
          const asText = await outcome(lines(cutAt(data, cuts), { ...opts, encoding }), encoding);
          const asBytes = await outcome(lines(cutAt(data, cuts), opts), encoding);
          expect(asText).toEqual(asBytes);
          const batched = lines(cutAt(data, cuts), { ...opts, encoding, batch: true });
          expect(await outcome(batched, encoding)).toEqual(asBytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds multi-byte delimiters with partial matches across any chunking (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[ab]{1,4}$/),
        fc.stringMatching(/^[ab]{0,60}$/),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (delimiter, body, cuts) => {
          const text = body + delimiter;
          const pieces = text.split(delimiter);
          const tail = pieces.pop()!;
          const out: string[] = [];
          const opts = { delimiter, encoding: 'latin1' as const, maxLength: 100 };
          const err = await (async () => {
            for await (const line of lines(cutAt(b(text), cuts), opts)) out.push(line);
          })().catch((e) => e);
          expect(out).toEqual(pieces);
          // Leftmost matching may leave a tail (e.g. "bbb" split on "bb"): that is a partial line.
          if (tail === '') expect(err).toBeUndefined();
          else expect(Buffer.from(err.partial).toString('latin1')).toBe(tail);
        },
      ),
      { numRuns: 300 },
    );
  });
});
