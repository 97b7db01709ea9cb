// The stable slot sort the timer queue uses to order a millisecond's calls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySort } from '../../lib/time/key-sort.js';

describe('KeySort', () => {
  it('sorts items by key like a stable Array sort (property)', () => {
    const sorter = new KeySort();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 200 }), (ks) => {
        const keys = Float64Array.from(ks, (k) => k / 4);
        // Items in scrambled order, so stability is visible.
        const items = ks.map((_, i) => (i * 7) % ks.length).filter((v, i, a) => a.indexOf(v) === i);
        const expected = [...items].sort((a, b) => (keys[a] as number) - (keys[b] as number));
        sorter.sort(items, keys);
        expect(items).toEqual(expected);
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
          const items = ks.map((_, i) => ks.length - 1 - i);
          const expected = [...items].sort((a, b) => (keys[a] as number) - (keys[b] as number));
          sorter.sort(items, keys, base, 100);
          expect(items).toEqual(expected);
        },
      ),
    );
  });

  it('keeps input order for a long run of equal keys in one sub-range', () => {
    const sorter = new KeySort();
    const keys = new Float64Array(1000).fill(5);
    keys[0] = 7;
    const items = Array.from({ length: 1000 }, (_, i) => i);
    sorter.sort(items, keys, 0, 10);
    expect(items).toEqual([...Array.from({ length: 999 }, (_, i) => i + 1), 0]);
  });

  it('sorts lists longer than its scratch buffers, reusing them', () => {
    const sorter = new KeySort();
    const n = 5_000;
    const keys = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
    const items = Array.from({ length: n }, (_, i) => n - 1 - i);
    const expected = [...items].sort((a, b) => (keys[a] as number) - (keys[b] as number));
    sorter.sort(items, keys);
    expect(items).toEqual(expected);
    const small = [2, 1, 0];
    sorter.sort(small, Float64Array.of(3, 3, 1));
    expect(small).toEqual([2, 1, 0]);
  });
});
