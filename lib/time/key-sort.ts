/** Runs this short are sorted by insertion before merging. */
const RUN = 16;

/** Scratch buffers up to this length are kept by {@link KeySort.release}. */
const KEEP = 1024;

/**
 * A stable sort of small integers (slot numbers) by a numeric key each,
 * `keys[item]`: a bottom-up merge sort over typed-array scratch buffers, with
 * the comparisons inline (no comparator calls, no allocation once the
 * buffers are big enough). Equal keys keep their input order. Internal to
 * the time area (the timer queue sorts a bucket's slots by due time with it).
 */
export class KeySort {
  #keys = [new Float64Array(0), new Float64Array(0)];
  #items = [new Int32Array(0), new Int32Array(0)];

  /** Sort `items` in place by `keys[item]`, ascending, stably. */
  sort(items: number[], keys: Float64Array): void {
    const n = items.length;
    if (n < 2) return;
    this.#reserve(n);
    let fromKeys = this.#keys[0] as Float64Array;
    let fromItems = this.#items[0] as Int32Array;
    let toKeys = this.#keys[1] as Float64Array;
    let toItems = this.#items[1] as Int32Array;
    for (let i = 0; i < n; i++) {
      const item = items[i] as number;
      fromItems[i] = item;
      fromKeys[i] = keys[item] as number;
    }
    for (let start = 0; start < n; start += RUN)
      insertionSort(fromKeys, fromItems, start, Math.min(start + RUN, n));
    for (let width = RUN; width < n; width *= 2) {
      for (let lo = 0; lo < n; lo += 2 * width) {
        merge(
          fromKeys,
          fromItems,
          toKeys,
          toItems,
          lo,
          Math.min(lo + width, n),
          Math.min(lo + 2 * width, n),
        );
      }
      [fromKeys, toKeys] = [toKeys, fromKeys];
      [fromItems, toItems] = [toItems, fromItems];
    }
    for (let i = 0; i < n; i++) items[i] = fromItems[i] as number;
  }

  /** Drop the scratch buffers if large (they grow to the largest list sorted). */
  release(): void {
    if ((this.#keys[0] as Float64Array).length <= KEEP) return;
    this.#keys = [new Float64Array(0), new Float64Array(0)];
    this.#items = [new Int32Array(0), new Int32Array(0)];
  }

  #reserve(n: number): void {
    if ((this.#keys[0] as Float64Array).length >= n) return;
    const capacity = Math.max(n, 2 * (this.#keys[0] as Float64Array).length);
    this.#keys = [new Float64Array(capacity), new Float64Array(capacity)];
    this.#items = [new Int32Array(capacity), new Int32Array(capacity)];
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
