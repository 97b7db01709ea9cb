import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, FrameTooLong, UnexpectedEOF } from '../../../lib/index.js';
import { b, chunked, collect, cutAt, source } from './helpers.js';

const str = (x: Uint8Array | null) => (x === null ? null : Buffer.from(x).toString('latin1'));

describe('ByteReader', () => {
  it('mixes lines, delimited frames and fixed-size reads on one stream', async () => {
    const data = b('LEN 5\r\nhelloKEY=value;tail');
    for (let size = 1; size <= 9; size++) {
      const r = new ByteReader(chunked(data, size));
      expect(str(await r.readLine())).toBe('LEN 5');
      expect(str(await r.readExactly(5))).toBe('hello');
      expect(str(await r.readUntil('='))).toBe('KEY');
      expect(str(await r.readUntil(b(';')))).toBe('value');
      expect(str(await r.readExactly(4))).toBe('tail');
      expect(await r.readLine()).toBeNull();
      expect(await r.readExactly(3)).toBeNull();
      expect(await r.readSome()).toBeNull();
    }
  });

  it('uses the delimiter given to the constructor for readLine', async () => {
    const r = new ByteReader([b('a\nb\n')], { delimiter: '\n' });
    expect(str(await r.readLine())).toBe('a');
    expect(str(await r.readLine())).toBe('b');
    expect(await r.readLine()).toBeNull();
  });

  it('throws UnexpectedEOF carrying the partial frame when the stream ends mid-frame', async () => {
    const r = new ByteReader([b('abc')]);
    const err = await r.readExactly(5).catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedEOF);
    expect(str(err.partial)).toBe('abc');
    expect(err.offset).toBe(3);
    expect(await r.readSome()).toBeNull();

    const r2 = new ByteReader([b('x\r\nunterminated')]);
    await r2.readLine();
    const err2 = await r2.readLine().catch((e) => e);
    expect(err2).toBeInstanceOf(UnexpectedEOF);
    expect(str(err2.partial)).toBe('unterminated');
  });

  it('throws FrameTooLong over maxLength (per reader or per call), leaving the bytes buffered', async () => {
    const r = new ByteReader([b('0123456789\r\n')], { maxLength: 5 });
    const err = await r.readLine().catch((e) => e);
    expect(err).toBeInstanceOf(FrameTooLong);
    expect(err.offset).toBe(0);
    expect(str(await r.readLine({ maxLength: 10 }))).toBe('0123456789');
    const r2 = new ByteReader([b('abcdef;')]);
    await expect(r2.readUntil(';', { maxLength: 3 })).rejects.toBeInstanceOf(FrameTooLong);
  });

  it('returns an empty frame for readExactly(0) and rejects a negative count', async () => {
    const r = new ByteReader([b('x')]);
    expect((await r.readExactly(0))?.length).toBe(0);
    await expect(r.readExactly(-1)).rejects.toBeInstanceOf(RangeError);
  });

  it('readSome returns the buffered bytes first, then one chunk at a time', async () => {
    const r = new ByteReader([b('line\r\nrest'), b('next')]);
    await r.readLine();
    expect(str(await r.readSome())).toBe('rest');
    expect(str(await r.readSome())).toBe('next');
    expect(await r.readSome()).toBeNull();
  });

  it('pulls from the source only when the buffer cannot satisfy a read', async () => {
    const { iterable, state } = source([b('a\r\nb\r\n'), b('c\r\n')]);
    const r = new ByteReader(iterable);
    expect(state.pulled).toBe(0);
    await r.readLine();
    await r.readLine();
    expect(state.pulled).toBe(1);
    await r.readLine();
    expect(state.pulled).toBe(2);
  });

  it('iterates the remaining bytes, buffered ones first (switching to raw mode)', async () => {
    const { iterable, state } = source([b('HEAD\r\nbody1'), b('body2')]);
    const r = new ByteReader(iterable);
    expect(str(await r.readLine())).toBe('HEAD');
    const rest = await collect(r);
    expect(rest.map(str)).toEqual(['body1', 'body2']);
    expect(state.returned).toBe(false);
  });

  it('can go back to lines after leaving the raw iteration', async () => {
    const r = new ByteReader([b('raw'), b('line\r\n')]);
    for await (const chunk of r) {
      expect(str(chunk)).toBe('raw');
      break;
    }
    expect(str(await r.readLine())).toBe('line');
  });

  it('detach returns the unconsumed bytes and stops reading the source', async () => {
    const { iterable, state } = source([b('STARTTLS\r\n\x16\x03\x01'), b('more')]);
    const r = new ByteReader(iterable);
    expect(str(await r.readLine())).toBe('STARTTLS');
    expect(str(r.detach())).toBe('\x16\x03\x01');
    expect(await r.readSome()).toBeNull();
    expect(state.pulled).toBe(1);
    expect(state.returned).toBe(false);
  });

  it('propagates an error thrown by the source', async () => {
    const failing = {
      // biome-ignore lint/correctness/useYield: fails before yielding
      async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
        throw new Error('boom');
      },
    };
    await expect(new ByteReader(failing).readLine()).rejects.toThrow('boom');
  });

  it('reads the same frames from any chunking of a stream (property)', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('line' as const), text: fc.stringMatching(/^[a-z]{0,12}$/) }),
      fc.record({
        kind: fc.constant('exact' as const),
        text: fc.stringMatching(/^[a-z\r\n]{0,12}$/),
      }),
      fc.record({
        kind: fc.constant('until' as const),
        text: fc.stringMatching(/^[a-z\r\n]{0,12}$/),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (ops, cuts) => {
          const wire = ops
            .map((o) =>
              o.kind === 'line' ? `${o.text}\r\n` : o.kind === 'until' ? `${o.text}||` : o.text,
            )
            .join('');
          const r = new ByteReader(cutAt(b(wire), cuts));
          for (const o of ops) {
            const got =
              o.kind === 'line'
                ? await r.readLine()
                : o.kind === 'until'
                  ? await r.readUntil('||')
                  : await r.readExactly(o.text.length);
            expect(str(got)).toBe(o.text);
          }
          expect(await r.readSome()).toBeNull();
        },
      ),
    );
  });
});

describe('ByteReader with a bytes delimiter', () => {
  it('splits lines on it', async () => {
    const r = new ByteReader([b('a\0b\0')], { delimiter: new Uint8Array([0]) });
    expect(str(await r.readLine())).toBe('a');
    expect(str(await r.readLine())).toBe('b');
  });
});
