// Tests: tests/defer/lock.test.ts, tests/defer/queue.test.ts (through the waiting lists)

interface Node<T> {
  readonly value: T;
  prev: Node<T> | null;
  next: Node<T> | null;
}

/**
 * A first-in first-out list of distinct waiters with O(1) `add`, `shift` and
 * `delete` of any waiter (a cancelled one leaves from the middle). The
 * waiting list of the locks and of the queue's gets.
 */
export class WaitList<T> {
  #head: Node<T> | null = null;
  #tail: Node<T> | null = null;
  readonly #nodes = new Map<T, Node<T>>();

  /** How many are waiting. */
  get size(): number {
    return this.#nodes.size;
  }

  /** Add `value` at the end. */
  add(value: T): void {
    const node: Node<T> = { value, prev: this.#tail, next: null };
    if (this.#tail === null) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    this.#nodes.set(value, node);
  }

  /** Remove and return the first waiter, or `undefined` when none waits. */
  shift(): T | undefined {
    const node = this.#head;
    if (node === null) return undefined;
    this.#unlink(node);
    return node.value;
  }

  /** Remove `value` wherever it is; `false` if it was not waiting. */
  delete(value: T): boolean {
    const node = this.#nodes.get(value);
    if (node === undefined) return false;
    this.#unlink(node);
    return true;
  }

  /** The waiters, first first (a copy). */
  toArray(): T[] {
    const out: T[] = [];
    for (let n = this.#head; n !== null; n = n.next) out.push(n.value);
    return out;
  }

  #unlink(node: Node<T>): void {
    if (node.prev === null) this.#head = node.next;
    else node.prev.next = node.next;
    if (node.next === null) this.#tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = null;
    node.next = null;
    this.#nodes.delete(node.value);
  }
}
