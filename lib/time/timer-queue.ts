import { type DelayedCall, delayedCallInternals } from './delayed-call.js';
import { KeySort } from './key-sort.js';

const { token, setToken } = delayedCallInternals;

const MIN_CAPACITY = 64;

/** Size of the direct-mapped cache of buckets by key (a power of two). */
const RECENT = 256;

/** Sort scratch buffers up to this length are kept when the queue empties. */
const KEEP_SCRATCH = 1024;

/** Stale entries tolerated before a compaction is considered. */
const COMPACT_SLACK = 64;

/**
 * The entries due within one millisecond, as slot numbers in the queue's
 * slab. Slots are appended in scheduling order; the bucket is sorted by time
 * once, when it becomes the earliest, then consumed from `head`.
 */
class Bucket {
  slots: number[] = [];
  head = 0;
  sorted = false;

  constructor(readonly key: number) {}
}

/**
 * The Reactor's pending calls, grouped by the millisecond they are due in (as
 * Node groups its timers in per-duration lists): a Map from millisecond to a
 * bucket of slots, and a binary min-heap of the bucket keys. Each entry lives
 * in a slot of a slab (the call, its time and a live flag in parallel
 * arrays, so ordering never touches the call objects). Queueing a call is an
 * append to its bucket; a bucket is sorted once, when it becomes the
 * earliest, then consumed in order: time order, ties in scheduling order.
 *
 * Cancelling is O(1) and never touches the bucket: the entry is marked stale
 * in the slab (a call's token is its slot while queued) and is skipped when
 * reached, or dropped by a compaction once stale entries outnumber live ones.
 * A slot is reused only after its entry left its bucket. With no live call
 * left everything is released. Internal to the time area.
 */
export class TimerQueue {
  #buckets = new Map<number, Bucket>();
  /** Buckets by `key % RECENT`, a cache in front of #buckets (nearby milliseconds never collide). */
  readonly #recent: (Bucket | undefined)[] = new Array(RECENT).fill(undefined);
  /** Bucket keys, a binary min-heap. */
  #keys: number[] = [];
  /** The bucket whose key is `#keys[0]`, when there is one. */
  #first: Bucket | undefined;
  /** Keys are milliseconds minus this base (fixed at the first insert), to stay small integers. */
  #base = Number.NaN;
  // The slab: per slot, the call, its due time and whether it is live.
  #calls: (DelayedCall | undefined)[] = [];
  #times = new Float64Array(MIN_CAPACITY);
  /** 1 while the slot's entry is live; 0 once its call was cancelled, rescheduled or popped. */
  #alive = new Uint8Array(MIN_CAPACITY);
  /** Slots in use or free, the high-water mark. */
  #slabLength = 0;
  /** Free slots below #slabLength: a stack, #freeCount deep. */
  #free = new Int32Array(MIN_CAPACITY);
  #freeCount = 0;
  #entries = 0;
  #live = 0;
  /** True during a round: new entries wait in #incoming. */
  #holding = false;
  /** Slots queued during the current round, in scheduling order. */
  #incoming: number[] = [];

  readonly #sorter = new KeySort();
  // Scratch for #sort: a bucket's slots and times gathered in slot order.
  #gatherTimes = new Float64Array(0);
  #gatherSlots = new Int32Array(0);

  /** Number of live (pending) calls. */
  get size(): number {
    return this.#live;
  }

  /** Number of entries held, live or stale (for tests and leak checks). */
  get entries(): number {
    return this.#entries;
  }

  /**
   * Start a round of popping (the Reactor's timer firing): calls queued from
   * now until {@link endRound} are held back, so a round never runs calls
   * scheduled during it (as Twisted's `runUntilCurrent`). While held they
   * count in {@link size} and {@link toArray} but are not popped.
   */
  beginRound(): void {
    this.#holding = true;
  }

  /** End the round: the calls queued during it join the queue, in scheduling order. */
  endRound(): void {
    this.#holding = false;
    const incoming = this.#incoming;
    if (incoming.length === 0) return;
    this.#incoming = [];
    for (const slot of incoming) {
      if (this.#isLive(slot)) this.#enqueue(slot);
      else this.#release(slot);
    }
  }

  /** Queue a new call. */
  push(call: DelayedCall): void {
    this.#live++;
    this.#insert(call);
  }

  /** Re-queue `call` (still pending) after its time changed; its old entry goes stale. */
  update(call: DelayedCall): void {
    this.#kill(call);
    this.#insert(call);
    this.#maybeCompact();
  }

  /** Forget `call` (being cancelled): its entry goes stale. */
  remove(call: DelayedCall): void {
    this.#kill(call);
    setToken(call, -1);
    this.#live--;
    if (this.#live === 0) this.#clear();
    else this.#maybeCompact();
  }

  /** The earliest live call (dropping stale entries from the front), or undefined. */
  peek(): DelayedCall | undefined {
    const head = this.#front();
    return head < 0 ? undefined : this.#calls[(this.#first as Bucket).slots[head] as number];
  }

  /** The due time of the front entry (call {@link peek} first). */
  peekTime(): number {
    const bucket = this.#first as Bucket;
    return this.#times[bucket.slots[bucket.head] as number] as number;
  }

  /**
   * Remove and return the earliest live call if it is due by `now`;
   * undefined otherwise.
   */
  popDue(now: number): DelayedCall | undefined {
    const head = this.#front();
    if (head < 0) return undefined;
    const bucket = this.#first as Bucket;
    const slot = bucket.slots[head] as number;
    if ((this.#times[slot] as number) > now) return undefined;
    return this.#popFront(bucket);
  }

  /** Remove and return the earliest live call. */
  pop(): DelayedCall | undefined {
    return this.#front() < 0 ? undefined : this.#popFront(this.#first as Bucket);
  }

  /**
   * Index of the earliest live entry in the first bucket (sorting it first,
   * dropping stale entries and consumed buckets), or -1 when there is none.
   */
  #front(): number {
    for (let bucket = this.#first; bucket !== undefined; bucket = this.#first) {
      if (!bucket.sorted) this.#sort(bucket);
      const slots = bucket.slots;
      const length = slots.length;
      let head = bucket.head;
      while (head < length) {
        const slot = slots[head] as number;
        if (this.#isLive(slot)) {
          bucket.head = head;
          return head;
        }
        this.#release(slot);
        head++;
      }
      bucket.head = head;
      this.#dropFirst();
    }
    return -1;
  }

  /** Pop the (live) entry at the head of the first bucket. */
  #popFront(bucket: Bucket): DelayedCall {
    const slot = bucket.slots[bucket.head++] as number;
    const call = this.#calls[slot] as DelayedCall;
    setToken(call, -1);
    this.#live--;
    if (this.#live === 0) {
      this.#clear();
      return call;
    }
    this.#release(slot);
    if (bucket.head === bucket.slots.length) this.#dropFirst();
    return call;
  }

  /** The live calls, in no particular order (a copy). */
  toArray(): DelayedCall[] {
    const out: DelayedCall[] = [];
    for (const { slots, head } of this.#buckets.values()) {
      for (let i = head; i < slots.length; i++) {
        const slot = slots[i] as number;
        if (this.#isLive(slot)) out.push(this.#calls[slot] as DelayedCall);
      }
    }
    for (const slot of this.#incoming)
      if (this.#isLive(slot)) out.push(this.#calls[slot] as DelayedCall);
    return out;
  }

  /** An entry is live until its call is cancelled or rescheduled (or popped: its slot is then freed). */
  #isLive(slot: number): boolean {
    return this.#alive[slot] === 1;
  }

  /** Make `call`'s current entry stale. */
  #kill(call: DelayedCall): void {
    const slot = token(call);
    if (slot >= 0) this.#alive[slot] = 0;
  }

  #insert(call: DelayedCall): void {
    const slot = this.#allocate();
    const time = call.getTime();
    setToken(call, slot);
    this.#calls[slot] = call;
    this.#times[slot] = time;
    this.#alive[slot] = 1;
    this.#entries++;
    if (this.#holding) this.#incoming.push(slot);
    else this.#enqueue(slot);
  }

  /** Put a queued slot in its bucket. */
  #enqueue(slot: number): void {
    const time = this.#times[slot] as number;
    let ms = Math.floor(time * 1000);
    if (Number.isNaN(this.#base)) this.#base = ms;
    ms -= this.#base;
    let bucket = this.#recent[ms & (RECENT - 1)];
    if (bucket === undefined || bucket.key !== ms) bucket = this.#bucket(ms);
    if (!bucket.sorted) {
      bucket.slots.push(slot);
      return;
    }
    // A sorted bucket (being consumed): insert after every entry due no later.
    const slots = bucket.slots;
    const times = this.#times;
    let lo = bucket.head;
    let hi = slots.length;
    if (hi === lo || (times[slots[hi - 1] as number] as number) <= time) lo = hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((times[slots[mid] as number] as number) <= time) lo = mid + 1;
      else hi = mid;
    }
    if (lo === slots.length) slots.push(slot);
    else slots.splice(lo, 0, slot);
  }

  /** The bucket for key `ms`, made if need be; it becomes the cached one for its index. */
  #bucket(ms: number): Bucket {
    let bucket = this.#buckets.get(ms);
    if (bucket === undefined) {
      bucket = new Bucket(ms);
      this.#buckets.set(ms, bucket);
      this.#pushKey(ms);
    }
    this.#recent[ms & (RECENT - 1)] = bucket;
    return bucket;
  }

  /** Forget an emptied bucket (the caller fixes the key heap). */
  #forget(bucket: Bucket): void {
    this.#buckets.delete(bucket.key);
    const index = bucket.key & (RECENT - 1);
    if (this.#recent[index] === bucket) this.#recent[index] = undefined;
  }

  #allocate(): number {
    if (this.#freeCount > 0) return this.#free[--this.#freeCount] as number;
    if (this.#slabLength === this.#times.length) this.#grow(this.#slabLength * 2);
    return this.#slabLength++;
  }

  /** Free a slot whose entry left its bucket. */
  #release(slot: number): void {
    this.#calls[slot] = undefined;
    this.#free[this.#freeCount++] = slot;
    this.#entries--;
  }

  #grow(capacity: number): void {
    const times = new Float64Array(capacity);
    const alive = new Uint8Array(capacity);
    const free = new Int32Array(capacity);
    times.set(this.#times);
    alive.set(this.#alive);
    free.set(this.#free.subarray(0, this.#freeCount));
    this.#times = times;
    this.#alive = alive;
    this.#free = free;
  }

  /**
   * Sort a bucket by time, dropping stale entries. Its slots are in
   * scheduling order and the sort is stable, so ties keep that order.
   */
  #sort(bucket: Bucket): void {
    this.#filter(bucket);
    bucket.sorted = true;
    const slots = bucket.slots;
    const n = slots.length;
    if (n < 2) return;
    // Gather the times in slot order (reading the slab forwards), sort the
    // positions, then permute the slots. Nothing is allocated once the
    // scratch buffers are big enough.
    if (this.#gatherTimes.length < n) {
      this.#gatherTimes = new Float64Array(2 * n);
      this.#gatherSlots = new Int32Array(2 * n);
    }
    const gTimes = this.#gatherTimes;
    const gSlots = this.#gatherSlots;
    for (let i = 0; i < n; i++) {
      const slot = slots[i] as number;
      gSlots[i] = slot;
      gTimes[i] = this.#times[slot] as number;
    }
    // The bucket's times lie in one millisecond: spread them over it.
    const order = this.#sorter.sortPositions(gTimes, n, (bucket.key + this.#base) / 1000, 0.001);
    for (let i = 0; i < n; i++) slots[i] = gSlots[order[i] as number] as number;
  }

  /** Drop a bucket's consumed and stale entries, keeping the order of the rest. */
  #filter(bucket: Bucket): void {
    const slots = bucket.slots;
    let n = 0;
    for (let i = bucket.head; i < slots.length; i++) {
      const slot = slots[i] as number;
      if (this.#isLive(slot)) slots[n++] = slot;
      else this.#release(slot);
    }
    slots.length = n;
    bucket.head = 0;
  }

  /** Rebuild without stale entries once they outnumber live ones. */
  #maybeCompact(): void {
    const stale = this.#entries - this.#live;
    if (stale <= COMPACT_SLACK || stale <= this.#live) return;
    const keys: number[] = [];
    for (const bucket of this.#buckets.values()) {
      this.#filter(bucket);
      if (bucket.slots.length === 0) this.#forget(bucket);
      else keys.push(bucket.key);
    }
    // Make it a heap bottom-up (linear time).
    for (let i = (keys.length >> 1) - 1; i >= 0; i--) siftDown(keys, i, keys[i] as number);
    this.#keys = keys;
    this.#first = keys.length > 0 ? this.#buckets.get(keys[0] as number) : undefined;
  }

  #clear(): void {
    this.#buckets.clear();
    this.#recent.fill(undefined);
    this.#keys.length = 0;
    this.#first = undefined;
    this.#calls.length = 0;
    this.#freeCount = 0;
    this.#slabLength = 0;
    this.#incoming = [];
    this.#sorter.release();
    if (this.#gatherTimes.length > KEEP_SCRATCH) {
      this.#gatherTimes = new Float64Array(0);
      this.#gatherSlots = new Int32Array(0);
    }
    this.#entries = 0;
    if (this.#times.length > MIN_CAPACITY) {
      this.#times = new Float64Array(MIN_CAPACITY);
      this.#alive = new Uint8Array(MIN_CAPACITY);
      this.#free = new Int32Array(MIN_CAPACITY);
    }
  }

  /** Forget the earliest bucket (consumed up to its head). */
  #dropFirst(): void {
    const bucket = this.#first as Bucket;
    const slots = bucket.slots;
    for (let i = bucket.head; i < slots.length; i++) this.#release(slots[i] as number);
    this.#forget(bucket);
    this.#popKey();
  }

  #pushKey(key: number): void {
    const keys = this.#keys;
    let i = keys.length;
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent] as number;
      if (pk <= key) break;
      keys[i] = pk;
      i = parent;
    }
    keys[i] = key;
    if (i === 0) this.#first = this.#buckets.get(key);
  }

  #popKey(): void {
    const keys = this.#keys;
    const last = keys.pop() as number;
    if (keys.length === 0) {
      this.#first = undefined;
      return;
    }
    siftDown(keys, 0, last);
    this.#first = this.#buckets.get(keys[0] as number);
  }
}

/** Put `key` at position `start` of the binary min-heap `keys`, moving it down as needed. */
function siftDown(keys: number[], start: number, key: number): void {
  const length = keys.length;
  let i = start;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= length) break;
    if (child + 1 < length && (keys[child + 1] as number) < (keys[child] as number)) child++;
    const ck = keys[child] as number;
    if (key <= ck) break;
    keys[i] = ck;
    i = child;
  }
  keys[i] = key;
}
