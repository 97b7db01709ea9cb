// The stable position sort the timer queue uses to order a millisecond's calls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySort } from '../../lib/time/key-sort.js';

/** What a stable Array sort makes of positions 0..n-1 by key. */
function expected(keys: Float64Array): number[] {
  return Array.from(keys, (_, i) => i).sort((a, b) => (keys[a] as number) - (keys[b] as number));
}

function sorted(sorter: KeySort, keys: Float64Array, lo?: number, width?: number): number[] {
  return Array.from(sorter.sortPositions(keys, keys.length, lo, width).subarray(0, keys.length));
}

describe('KeySort', () => {
  it('sorts positions by key like a stable Array sort (property)', () => {
    const sorter = new KeySort();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 200 }), (ks) => {
        const keys = Float64Array.from(ks, (k) => k / 4);
        expect(sorted(sorter, keys)).toEqual(expected(keys));
      }),
    );
  });

  it('sorts like a stable Array sort when told the key range, keys outside it included (property)', () => {
    const sorter = new KeySort();
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -10, max: 110 }), { minLength: 17, maxLength: 600 }),
        fc.constantFrom(0, 1.79e9),
        (ks, base) => {
          // Keys mostly in [base, base + 100), many tied, a few outside.
          const keys = Float64Array.from(ks, (k) => base + k);
          expect(sorted(sorter, keys, base, 100)).toEqual(expected(keys));
        },
      ),
    );
  });

  it('keeps input order for a long run of equal keys in one sub-range', () => {
    const keys = new Float64Array(1000).fill(5);
    keys[0] = 7;
    expect(sorted(new KeySort(), keys, 0, 10)).toEqual([
      ...Array.from({ length: 999 }, (_, i) => i + 1),
      0,
    ]);
  });

  it('sorts lists longer than its scratch buffers, then short ones with the same buffers', () => {
    const sorter = new KeySort();
    const keys = Float64Array.from({ length: 5_000 }, (_, i) => (i * 7919) % 1000);
    expect(sorted(sorter, keys)).toEqual(expected(keys));
    expect(sorted(sorter, Float64Array.of(3, 3, 1))).toEqual([2, 0, 1]);
  });
});
