// Tests: tests/defer/queue.test.ts
import { cancelOnSignal, type SignalOptions } from './cancel-on-signal.js';
import { AbortError, CancelledError, QueueOverflow, QueueUnderflow } from './errors.js';
import { Deferred } from './deferred.js';
import { fail, succeed } from './functions.js';
import { WaitList } from './wait-list.js';

/** Options of a {@link DeferredQueue}; a missing limit means no limit. */
export interface DeferredQueueOptions {
  /** The most values the queue may hold; `put` past it throws {@link QueueOverflow}. */
  size?: number;
  /** The most pending `get`s; one more throws {@link QueueUnderflow}. */
  backlog?: number;
}

function checkLimit(name: string, value: number | undefined): number {
  if (value === undefined || value === null) return Number.POSITIVE_INFINITY;
  if (!(value >= 0)) throw new RangeError(`DeferredQueue ${name} must be >= 0, got ${value}`);
  return value;
}

/** A first-in first-out buffer with O(1) push and shift. */
class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(value: T): void {
    this.#items.push(value);
  }

  shift(): T {
    const value = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined;
    this.#head += 1;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return value;
  }

  toArray(): T[] {
    return this.#items.slice(this.#head) as T[];
  }
}

/**
 * An event-driven queue, as Twisted's `DeferredQueue`: `put` adds a value
 * (or hands it straight to the oldest waiting `get`), `get` returns a
 * Deferred of the next value. Pending gets are cancellable: a cancelled get
 * leaves the queue and fails with `CancelledError`, so no value is lost to it.
 *
 * The queue is also an async iterable that never ends by itself; leaving a
 * `for await` loop (`break`, `return`, a throw) cancels the iterator's
 * pending get, if any.
 *
 * @example
 * ```ts
 * const jobs = new DeferredQueue<string>({ size: 100 });
 * jobs.put('first');
 * for await (const job of jobs) {
 *   if (job === 'stop') break;
 *   await handle(job);
 * }
 * ```
 */
export class DeferredQueue<T> implements AsyncIterable<T> {
  readonly #size: number;
  readonly #backlog: number;
  readonly #pending = new Fifo<T>();
  readonly #waiting = new WaitList<Deferred<T>>();

  /** @param options the limits; none means unlimited. */
  constructor(options?: DeferredQueueOptions);
  /** Twisted's positional form: `new DeferredQueue(size, backlog)`. */
  constructor(size?: number, backlog?: number);
  constructor(options: DeferredQueueOptions | number = {}, backlog?: number) {
    const limits = typeof options === 'number' ? { size: options, backlog } : options;
    this.#size = checkLimit('size', limits.size);
    this.#backlog = checkLimit('backlog', limits.backlog);
  }

  /** The most values the queue holds (`Infinity` when unlimited). */
  get size(): number {
    return this.#size;
  }

  /** The most gets that may wait (`Infinity` when unlimited). */
  get backlog(): number {
    return this.#backlog;
  }

  /** The values waiting for a `get`, oldest first (a copy). */
  get pending(): T[] {
    return this.#pending.toArray();
  }

  /** The gets waiting for a value, oldest first (a copy). */
  get waiting(): Deferred<T>[] {
    return this.#waiting.toArray();
  }

  /**
   * Add a value: the oldest waiting get fires with it at once
   * (synchronously); otherwise the queue keeps it.
   * Throws {@link QueueOverflow} when the queue already holds `size` values.
   */
  put(value: T): void {
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) {
      waiter.callback(value);
    } else if (this.#pending.length < this.#size) {
      this.#pending.push(value);
    } else {
      throw new QueueOverflow(`DeferredQueue is full (size ${this.#size})`);
    }
  }

  /**
   * A Deferred of the next value: already fired when the queue holds one,
   * otherwise firing on a later `put`. Throws {@link QueueUnderflow} when
   * `backlog` gets are already waiting. Aborting `options.signal` while it
   * waits cancels it (it leaves the queue) with an `AbortError`.
   *
   * @example
   * ```ts
   * const job = await jobs.get({ signal: conn.signal });
   * ```
   */
  get(options?: SignalOptions): Deferred<T> {
    if (options?.signal?.aborted) return fail(AbortError.fromSignal(options.signal));
    if (this.#pending.length > 0) return succeed(this.#pending.shift());
    if (this.#waiting.size >= this.#backlog) {
      throw new QueueUnderflow(`DeferredQueue has ${this.#waiting.size} gets waiting (backlog)`);
    }
    const d = new Deferred<T>((waiter) => {
      this.#waiting.delete(waiter);
    });
    this.#waiting.add(d);
    return cancelOnSignal(d, options?.signal);
  }

  /**
   * Iterate over the values as they arrive, forever. `return()` (what
   * leaving a `for await` calls) cancels the gets this iterator has pending
   * and ends it; a `next()` pending at that moment resolves as done.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    const gets = new Set<Deferred<T>>();
    let finished = false;
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    const iterator: AsyncIterableIterator<T> = {
      next: (): Promise<IteratorResult<T>> => {
        if (finished) return Promise.resolve(done);
        let d: Deferred<T>;
        try {
          d = this.get();
        } catch (e) {
          return Promise.reject(e);
        }
        gets.add(d);
        return d.then(
          (value): IteratorResult<T> => {
            gets.delete(d);
            return { done: false, value };
          },
          (reason: unknown): IteratorResult<T> => {
            gets.delete(d);
            if (finished && reason instanceof CancelledError) return done;
            throw reason;
          },
        );
      },
      return: (): Promise<IteratorResult<T>> => {
        finished = true;
        for (const d of gets) d.cancel();
        return Promise.resolve(done);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
