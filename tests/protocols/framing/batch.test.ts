// The `batch: true` form of lines, netstrings and lengthPrefixed: arrays of
// every complete frame of one read, never empty, the same frames in the same
// order as the one-by-one form, at every chunk boundary.
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeLengthPrefixed,
  encodeNetstring,
  FrameTooLong,
  lengthPrefixed,
  lines,
  netstrings,
} from '../../../lib/index.js';
import { b, collect, cutAt, strs } from './helpers.js';

type Framing = (chunks: Uint8Array[], batch: boolean) => AsyncIterable<Uint8Array | Uint8Array[]>;

const framings: [string, (payload: Uint8Array) => Uint8Array, Framing][] = [
  [
    'lines',
    (p) => Buffer.concat([p, b('\r\n')]),
    (chunks, batch) => (batch ? lines(chunks, { batch: true }) : lines(chunks)),
  ],
  [
    'netstrings',
    encodeNetstring,
    (chunks, batch) => (batch ? netstrings(chunks, { batch: true }) : netstrings(chunks)),
  ],
  [
    'lengthPrefixed',
    (p) => encodeLengthPrefixed(p, 2),
    (chunks, batch) =>
      batch
        ? lengthPrefixed(chunks, { prefixBytes: 2, batch: true })
        : lengthPrefixed(chunks, { prefixBytes: 2 }),
  ],
];

/** Payloads without CR or LF, so that every framing can carry them. */
const payloads = fc.array(
  fc.uint8Array({ maxLength: 20 }).map((p) => p.map((x) => (x === 10 || x === 13 ? 65 : x))),
  { maxLength: 12 },
);

describe('batch: true', () => {
  for (const [name, encode, frames] of framings) {
    it(`${name}: one batch holds every frame of a chunk`, async () => {
      const wire = Buffer.concat([b('one'), b('two'), b('three')].map(encode));
      const out = (await collect(frames([wire], true))) as Uint8Array[][];
      expect(out.map(strs)).toEqual([['one', 'two', 'three']]);
    });

    it(`${name}: the same frames as one by one, never an empty batch, at every boundary`, async () => {
      await fc.assert(
        fc.asyncProperty(payloads, fc.array(fc.nat(), { maxLength: 8 }), async (ps, cuts) => {
          const wire = Buffer.concat(ps.map(encode));
          const chunks = cutAt(wire, cuts);
          const single = (await collect(frames(chunks, false))) as Uint8Array[];
          const batches = (await collect(frames(chunks, true))) as Uint8Array[][];
          expect(batches.every((batch) => batch.length > 0)).toBe(true);
          expect(strs(batches.flat())).toEqual(strs(single));
          expect(strs(single)).toEqual(strs(ps));
          expect(batches.length).toBeLessThanOrEqual(chunks.length);
        }),
      );
    });
  }

  it('delivers the lines before an over-long one, then throws FrameTooLong', async () => {
    const it = lines([b(`ok\r\nfine\r\n${'x'.repeat(20)}\r\nlost\r\n`)], {
      batch: true,
      maxLength: 10,
      encoding: 'latin1',
    });
    expect((await it.next()).value).toEqual(['ok', 'fine']);
    await expect(it.next()).rejects.toBeInstanceOf(FrameTooLong);
  });

  it('decodes every line of a batch when an encoding is given', async () => {
    const out = await collect(
      lines([b('héllo\nwörld\n')], { delimiter: '\n', encoding: 'utf8', batch: true }),
    );
    expect(out).toEqual([['héllo', 'wörld']]);
  });
});
