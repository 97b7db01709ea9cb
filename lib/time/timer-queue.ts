import { type DelayedCall, delayedCallInternals } from './delayed-call.js';

const { token, setToken } = delayedCallInternals;

const MIN_CAPACITY = 64;

/**
 * The Reactor's pending calls: a 4-ary min-heap ordered by time, then by
 * scheduling order (a sequence number per entry). Keys live in typed arrays,
 * so ordering never touches the call objects. Cancelling is O(1): the entry
 * goes stale (its call is no longer active, or was rescheduled under a new
 * sequence number) and is dropped when it reaches the top, or when stale
 * entries outnumber live ones (the heap is then rebuilt without them). With
 * no live call left the storage is released. Internal to the time area.
 */
export class TimerQueue {
  #times = new Float64Array(MIN_CAPACITY);
  #seqs = new Float64Array(MIN_CAPACITY);
  #calls: (DelayedCall | undefined)[] = [];
  #length = 0;
  #live = 0;
  #nextSeq = 0;

  /** Number of live (pending) calls. */
  get size(): number {
    return this.#live;
  }

  /** Number of entries held, live or stale (for tests and leak checks). */
  get entries(): number {
    return this.#length;
  }

  /** The sequence number the next entry will get: entries below it exist already. */
  get nextSequence(): number {
    return this.#nextSeq;
  }

  /** Queue a new call. */
  push(call: DelayedCall): void {
    this.#live++;
    this.#insert(call);
  }

  /** Re-queue `call` (still pending) after its time changed; its old entry goes stale. */
  update(call: DelayedCall): void {
    this.#insert(call);
    this.#maybeCompact();
  }

  /** Forget `call` (being cancelled): its entry goes stale. */
  remove(call: DelayedCall): void {
    setToken(call, -1);
    this.#live--;
    if (this.#live === 0) this.#clear();
    else this.#maybeCompact();
  }

  /** The earliest live call (dropping stale entries from the top), or undefined. */
  peek(): DelayedCall | undefined {
    while (this.#length > 0) {
      if (this.#isLive(0)) return this.#calls[0];
      this.#removeTop();
    }
    return undefined;
  }

  /** The sequence number of the top entry (call {@link peek} first). */
  peekSequence(): number {
    return this.#seqs[0] as number;
  }

  /** Remove and return the earliest live call. */
  pop(): DelayedCall | undefined {
    const call = this.peek();
    if (call === undefined) return undefined;
    this.popPeeked();
    return call;
  }

  /** Remove the call {@link peek} just returned (it must have returned one). */
  popPeeked(): void {
    const call = this.#calls[0] as DelayedCall;
    this.#removeTop();
    setToken(call, -1);
    this.#live--;
    if (this.#live === 0) this.#clear();
  }

  /** The live calls, in no particular order (a copy). */
  toArray(): DelayedCall[] {
    const out: DelayedCall[] = [];
    for (let i = 0; i < this.#length; i++)
      if (this.#isLive(i)) out.push(this.#calls[i] as DelayedCall);
    return out;
  }

  /** An entry is live while its call's token is the entry's sequence number (-1 once cancelled or popped). */
  #isLive(i: number): boolean {
    return token(this.#calls[i] as DelayedCall) === this.#seqs[i];
  }

  #insert(call: DelayedCall): void {
    const seq = this.#nextSeq++;
    setToken(call, seq);
    if (this.#length === this.#times.length) this.#resize(this.#length * 2);
    const i = this.#length++;
    this.#times[i] = call.getTime();
    this.#seqs[i] = seq;
    this.#calls[i] = call;
    this.#siftUp(i);
  }

  #removeTop(): void {
    const last = --this.#length;
    const times = this.#times;
    const seqs = this.#seqs;
    const calls = this.#calls;
    if (last > 0) {
      times[0] = times[last] as number;
      seqs[0] = seqs[last] as number;
      calls[0] = calls[last];
    }
    calls[last] = undefined;
    if (last > 0) this.#siftDown(0);
    if (this.#times.length > MIN_CAPACITY && this.#length < this.#times.length >> 2) {
      this.#resize(this.#times.length >> 1);
    }
  }

  /** Rebuild without stale entries once they outnumber live ones. */
  #maybeCompact(): void {
    const stale = this.#length - this.#live;
    if (stale <= 64 || stale <= this.#live) return;
    let n = 0;
    for (let i = 0; i < this.#length; i++) {
      if (!this.#isLive(i)) continue;
      this.#times[n] = this.#times[i] as number;
      this.#seqs[n] = this.#seqs[i] as number;
      this.#calls[n] = this.#calls[i];
      n++;
    }
    for (let i = n; i < this.#length; i++) this.#calls[i] = undefined;
    this.#length = n;
    for (let i = (n - 2) >> 2; i >= 0; i--) this.#siftDown(i);
    this.#resize(Math.max(MIN_CAPACITY, n * 2));
  }

  #clear(): void {
    this.#length = 0;
    this.#calls = [];
    if (this.#times.length > MIN_CAPACITY) this.#resize(MIN_CAPACITY);
  }

  #resize(capacity: number): void {
    const times = new Float64Array(capacity);
    const seqs = new Float64Array(capacity);
    times.set(this.#times.subarray(0, this.#length));
    seqs.set(this.#seqs.subarray(0, this.#length));
    this.#times = times;
    this.#seqs = seqs;
    if (this.#calls.length > this.#length) this.#calls.length = this.#length;
  }

  #siftUp(start: number): void {
    const times = this.#times;
    const seqs = this.#seqs;
    const calls = this.#calls;
    const t = times[start] as number;
    const s = seqs[start] as number;
    const call = calls[start];
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pt = times[parent] as number;
      if (pt < t || (pt === t && (seqs[parent] as number) < s)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      calls[i] = calls[parent];
      i = parent;
    }
    times[i] = t;
    seqs[i] = s;
    calls[i] = call;
  }

  #siftDown(start: number): void {
    const times = this.#times;
    const seqs = this.#seqs;
    const calls = this.#calls;
    const length = this.#length;
    const t = times[start] as number;
    const s = seqs[start] as number;
    const call = calls[start];
    let i = start;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= length) break;
      // the earliest of up to four children
      let child = first;
      let ct = times[first] as number;
      let cs = seqs[first] as number;
      const end = Math.min(first + 4, length);
      for (let c = first + 1; c < end; c++) {
        const xt = times[c] as number;
        if (xt < ct || (xt === ct && (seqs[c] as number) < cs)) {
          child = c;
          ct = xt;
          cs = seqs[c] as number;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      calls[i] = calls[child];
      i = child;
    }
    times[i] = t;
    seqs[i] = s;
    calls[i] = call;
  }
}
