/** Runs this short are sorted by insertion (before merging, or as a whole). */
const RUN = 16;

/** Scratch buffers up to this length are kept by {@link KeySort.release}. */
const KEEP = 1024;

/**
 * A stable sort of positions by a numeric key each, `keys[position]`, with
 * the comparisons inline (no comparator calls) over
 * typed-array scratch buffers (no allocation once they are big enough).
 * Equal keys keep their input order. Given the range the keys lie in, it
 * first distributes the items over sub-ranges (a counting sort: linear for
 * spread-out keys), then sorts each sub-range; otherwise it merge-sorts.
 * Internal to the time area (the timer queue sorts a bucket's entries by
 * due time with it).
 */
export class KeySort {
  #keys = [new Float64Array(0), new Float64Array(0)] as const;
  #items = [new Int32Array(0), new Int32Array(0)] as const;
  #counts = new Int32Array(0);

  /**
   * Sort the positions 0..n-1 by `keys[position]`, ascending, stably, and
   * return them: the first `n` entries of the returned buffer, valid until
   * the next call. When given, `[lo, lo + width)` is the range the keys are
   * expected in (keys outside it are still sorted correctly, only slower).
   */
  sortPositions(keys: Float64Array, n: number, lo = 0, width = 0): Int32Array {
    this.#reserve(n);
    const [aKeys, bKeys] = this.#keys;
    const [aItems, bItems] = this.#items;
    for (let i = 0; i < n; i++) {
      aItems[i] = i;
      aKeys[i] = keys[i] as number;
    }
    if (n > RUN && width > 0) {
      this.#distribute(n, lo, width);
      return bItems;
    }
    mergeSort(aKeys, aItems, bKeys, bItems, 0, n);
    return aItems;
  }

  /** Drop the scratch buffers if large (they grow to the largest list sorted). */
  release(): void {
    if (this.#keys[0].length <= KEEP) return;
    this.#keys = [new Float64Array(0), new Float64Array(0)];
    this.#items = [new Int32Array(0), new Int32Array(0)];
    this.#counts = new Int32Array(0);
  }

  /**
   * Counting sort of the n entries in the first buffers into the second, by
   * which of about n/4 equal sub-ranges of [lo, lo + width) holds the key (a
   * monotone function of the key, so the order stays exact), then sort each
   * sub-range in place.
   */
  #distribute(n: number, lo: number, width: number): void {
    const [aKeys, bKeys] = this.#keys;
    const [aItems, bItems] = this.#items;
    const counts = this.#counts;
    let digits = RUN;
    while (digits * 4 < n) digits *= 2;
    const scale = digits / width;
    counts.fill(0, 0, digits + 1);
    for (let i = 0; i < n; i++) {
      const d = digit(aKeys[i] as number, lo, scale, digits);
      aItems[n + i] = d; // the digits, kept after the items (the buffers hold 2n)
      counts[d + 1] = (counts[d + 1] as number) + 1;
    }
    for (let d = 0; d < digits; d++)
      counts[d + 1] = (counts[d + 1] as number) + (counts[d] as number);
    for (let i = 0; i < n; i++) {
      const d = aItems[n + i] as number;
      const at = counts[d] as number;
      counts[d] = at + 1;
      bKeys[at] = aKeys[i] as number;
      bItems[at] = aItems[i] as number;
    }
    // counts[d] is now where sub-range d ends.
    let start = 0;
    for (let d = 0; d < digits; d++) {
      const end = counts[d] as number;
      if (end - start > RUN) mergeSort(bKeys, bItems, aKeys, aItems, start, end);
      else if (end - start > 1) insertionSort(bKeys, bItems, start, end);
      start = end;
    }
  }

  #reserve(n: number): void {
    // Room for 2n: #distribute keeps each item's digit after the items.
    if (this.#keys[0].length >= 2 * n) return;
    const capacity = Math.max(2 * n, 2 * this.#keys[0].length);
    this.#keys = [new Float64Array(capacity), new Float64Array(capacity)];
    this.#items = [new Int32Array(capacity), new Int32Array(capacity)];
    this.#counts = new Int32Array(capacity + 1);
  }
}

/** Which of `digits` sub-ranges `key` falls in (clamped, so rounding at the edges is harmless). */
function digit(key: number, lo: number, scale: number, digits: number): number {
  const d = Math.floor((key - lo) * scale);
  return d < 0 ? 0 : d >= digits ? digits - 1 : d;
}

/** Stable sort of [start, end) of keys/items, using tmp buffers as scratch. */
function mergeSort(
  keys: Float64Array,
  items: Int32Array,
  tmpKeys: Float64Array,
  tmpItems: Int32Array,
  start: number,
  end: number,
): void {
  for (let s = start; s < end; s += RUN) insertionSort(keys, items, s, Math.min(s + RUN, end));
  let fromKeys = keys;
  let fromItems = items;
  let toKeys = tmpKeys;
  let toItems = tmpItems;
  for (let width = RUN; width < end - start; width *= 2) {
    for (let lo = start; lo < end; lo += 2 * width) {
      const mid = Math.min(lo + width, end);
      merge(fromKeys, fromItems, toKeys, toItems, lo, mid, Math.min(lo + 2 * width, end));
    }
    [fromKeys, toKeys] = [toKeys, fromKeys];
    [fromItems, toItems] = [toItems, fromItems];
  }
  if (fromKeys !== keys) {
    keys.set(fromKeys.subarray(start, end), start);
    items.set(fromItems.subarray(start, end), start);
  }
}

function insertionSort(keys: Float64Array, items: Int32Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const key = keys[i] as number;
    const item = items[i] as number;
    let j = i - 1;
    while (j >= start && (keys[j] as number) > key) {
      keys[j + 1] = keys[j] as number;
      items[j + 1] = items[j] as number;
      j--;
    }
    keys[j + 1] = key;
    items[j + 1] = item;
  }
}

/** Merge the sorted ranges [lo, mid) and [mid, hi) of `from` into `to` (left wins ties). */
function merge(
  fromKeys: Float64Array,
  fromItems: Int32Array,
  toKeys: Float64Array,
  toItems: Int32Array,
  lo: number,
  mid: number,
  hi: number,
): void {
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) {
    if ((fromKeys[j] as number) < (fromKeys[i] as number)) {
      toKeys[k] = fromKeys[j] as number;
      toItems[k++] = fromItems[j++] as number;
    } else {
      toKeys[k] = fromKeys[i] as number;
      toItems[k++] = fromItems[i++] as number;
    }
  }
  while (i < mid) {
    toKeys[k] = fromKeys[i] as number;
    toItems[k++] = fromItems[i++] as number;
  }
  while (j < hi) {
    toKeys[k] = fromKeys[j] as number;
    toItems[k++] = fromItems[j++] as number;
  }
}
