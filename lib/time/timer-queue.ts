import { type DelayedCall, delayedCallInternals } from './delayed-call.js';

const { sequence, slot, setSlot } = delayedCallInternals;

/** Whether `a` runs before `b`: earlier time first, ties in scheduling order. */
function before(a: DelayedCall, b: DelayedCall): boolean {
  const ta = a.getTime();
  const tb = b.getTime();
  return ta < tb || (ta === tb && sequence(a) < sequence(b));
}

/**
 * A binary min-heap of pending {@link DelayedCall}s, ordered by time then
 * scheduling order. Each call records its position, so removing (on cancel)
 * and re-positioning (on reset/delay) cost O(log n) and nothing is left
 * behind. Internal to the time area.
 */
export class TimerQueue {
  readonly #heap: DelayedCall[] = [];

  /** Number of queued calls. */
  get size(): number {
    return this.#heap.length;
  }

  /** The earliest call, or undefined when empty. */
  peek(): DelayedCall | undefined {
    return this.#heap[0];
  }

  /** Add a call. */
  push(call: DelayedCall): void {
    const heap = this.#heap;
    heap.push(call);
    this.#siftUp(heap.length - 1);
  }

  /** Remove and return the earliest call. */
  pop(): DelayedCall | undefined {
    const first = this.#heap[0];
    if (first !== undefined) this.remove(first);
    return first;
  }

  /** Remove `call` if it is queued here. */
  remove(call: DelayedCall): void {
    const heap = this.#heap;
    const index = slot(call);
    if (index < 0 || heap[index] !== call) return;
    setSlot(call, -1);
    const last = heap.pop() as DelayedCall;
    if (index === heap.length) return;
    heap[index] = last;
    setSlot(last, index);
    this.#restore(index);
  }

  /** Re-position `call` after its time changed. */
  update(call: DelayedCall): void {
    const index = slot(call);
    if (index >= 0 && this.#heap[index] === call) this.#restore(index);
  }

  /** The queued calls, in no particular order (a copy). */
  toArray(): DelayedCall[] {
    return this.#heap.slice();
  }

  #restore(index: number): void {
    const moved = this.#siftUp(index);
    if (moved === index) this.#siftDown(index);
  }

  #siftUp(start: number): number {
    const heap = this.#heap;
    const item = heap[start] as DelayedCall;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as DelayedCall;
      if (!before(item, parent)) break;
      heap[index] = parent;
      setSlot(parent, index);
      index = parentIndex;
    }
    heap[index] = item;
    setSlot(item, index);
    return index;
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    const length = heap.length;
    const item = heap[start] as DelayedCall;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && before(heap[right] as DelayedCall, heap[left] as DelayedCall))
        child = right;
      const childItem = heap[child] as DelayedCall;
      if (!before(childItem, item)) break;
      heap[index] = childItem;
      setSlot(childItem, index);
      index = child;
    }
    heap[index] = item;
    setSlot(item, index);
  }
}
