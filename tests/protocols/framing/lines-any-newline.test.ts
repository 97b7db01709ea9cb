// lines({ anyNewline: true }): LF and CRLF both end a line (nc sends LF, telnet CRLF).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameTooLong, lines, UnexpectedEOF } from '../../../lib/index.js';
import { b, chunked, collect, cutAt, strs } from './helpers.js';

describe('lines with anyNewline', () => {
  it('ends lines at LF and CRLF alike, dropping the CR, for every chunk size', async () => {
    const data = b('nick\nhello\r\n\r\n\nlast\r\n');
    for (let size = 1; size <= 7; size++) {
      const out = await collect(lines(chunked(data, size), { anyNewline: true }));
      expect(strs(out)).toEqual(['nick', 'hello', '', '', 'last']);
    }
  });

  it('decodes with an encoding, keeps a CR inside a line, and batches', async () => {
    const text = await collect(lines([b('a\rb\nc\r\n')], { anyNewline: true, encoding: 'utf8' }));
    expect(text).toEqual(['a\rb', 'c']);
    const batches = await collect(
      lines([b('x\ny\r\n'), b('z\n')], { anyNewline: true, encoding: 'utf8', batch: true }),
    );
    expect(batches).toEqual([['x', 'y'], ['z']]);
  });

  it('holds maxLength to the line without its line end', async () => {
    const ok = await collect(
      lines([b('0123456789\r\n0123456789\n')], { anyNewline: true, maxLength: 10 }),
    );
    expect(strs(ok)).toEqual(['0123456789', '0123456789']);
    for (const input of ['ok\n01234567890\n', 'ok\n01234567890\r\n', `ok\n${'x'.repeat(20)}`]) {
      const err = await collect(lines([b(input)], { anyNewline: true, maxLength: 10 })).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(FrameTooLong);
      expect(err.offset).toBe(3);
    }
  });

  it('throws UnexpectedEOF for an unterminated last line', async () => {
    const err = await collect(lines([b('ok\npart')], { anyNewline: true })).catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedEOF);
  });

  it('refuses another delimiter alongside', () => {
    expect(() => lines([], { anyNewline: true, delimiter: '\n' })).toThrow(RangeError);
  });

  it('gives the lines split on /\\r?\\n/ whatever the chunking (property)', async () => {
    const line = fc.stringMatching(/^[a-z\r]{0,6}$/).filter((s) => !s.endsWith('\r'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { maxLength: 8 }),
        fc.array(fc.nat(60), { maxLength: 6 }),
        async (parts, cuts) => {
          const data = b(parts.map(([l, end]) => l + end).join(''));
          const out = await collect(lines(cutAt(data, cuts), { anyNewline: true }));
          expect(strs(out)).toEqual(parts.map(([l]) => l));
        },
      ),
      { numRuns: 200 },
    );
  });
});
