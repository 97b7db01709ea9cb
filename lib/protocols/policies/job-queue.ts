// Tests: tests/protocols/policies/job-queue.test.ts
import PQueue from 'p-queue';
import { AbortError, type SignalOptions } from '../../defer/index.js';
import { setErrorName, WovenError } from '../../failure/index.js';

/** Options of a {@link JobQueue}; a missing limit means none. */
export interface JobQueueOptions {
  /** The most jobs running at once. */
  concurrency?: number;
  /** With `intervalCap`: the length, in seconds, of the window in which at most `intervalCap` jobs start. */
  interval?: number;
  /** The most jobs started per `interval`. */
  intervalCap?: number;
  /** The most jobs waiting to start; one more is refused with {@link QueueFullError}. */
  maxWaiting?: number;
}

/** The error of a job refused because {@link JobQueue}'s `maxWaiting` jobs already wait. */
export class QueueFullError extends WovenError {
  static {
    setErrorName(this, 'QueueFullError', 'ERR_QUEUE_FULL');
  }
}

interface Waiting {
  readonly id: string | undefined;
  readonly run: () => Promise<unknown>;
}

/**
 * p-queue's waiting list, with what p-queue lacks: taking out a job that
 * was aborted while it waits (p-queue 8 keeps aborted jobs queued until
 * their turn, and never removes its abort listeners).
 */
class RemovableQueue {
  #jobs: Waiting[] = [];

  get size(): number {
    return this.#jobs.length;
  }

  enqueue(run: () => Promise<unknown>, options?: { id?: string }): void {
    this.#jobs.push({ id: options?.id, run });
  }

  dequeue(): (() => Promise<unknown>) | undefined {
    return this.#jobs.shift()?.run;
  }

  filter(): (() => Promise<unknown>)[] {
    return this.#jobs.map((job) => job.run);
  }

  setPriority(): void {
    throw new TypeError('a JobQueue has no priorities');
  }

  remove(id: string): boolean {
    const at = this.#jobs.findIndex((job) => job.id === id);
    if (at >= 0) this.#jobs.splice(at, 1);
    return at >= 0;
  }
}

/**
 * A first-in first-out queue of asynchronous jobs on p-queue (its
 * concurrency and interval limits), whose waiting jobs can be aborted for
 * good: aborting a job's `signal` before it starts takes it out of the
 * queue at once and rejects it with an `AbortError`, without going through
 * p-queue's abort path. The queue of the connection pool and of the
 * connection-rate limit.
 *
 * @example
 * ```ts
 * const q = new JobQueue({ interval: 1, intervalCap: 100, maxWaiting: 50 });
 * await q.run(async () => serve(socket), { signal: AbortSignal.timeout(5000) });
 * ```
 */
export class JobQueue {
  readonly #queue: PQueue;
  readonly #waiting: RemovableQueue;
  readonly #maxWaiting: number;
  readonly #cancels = new Map<string, (error: Error) => void>();
  #ids = 0;

  constructor(options: JobQueueOptions = {}) {
    let waiting: RemovableQueue | undefined;
    const queueClass = class extends RemovableQueue {
      constructor() {
        super();
        waiting = this;
      }
    };
    const { interval, intervalCap } = options;
    this.#queue = new PQueue({
      concurrency: options.concurrency ?? Number.POSITIVE_INFINITY,
      ...(intervalCap === undefined ? {} : { intervalCap, interval: (interval ?? 1) * 1000 }),
      queueClass,
    });
    this.#waiting = waiting!;
    this.#maxWaiting = options.maxWaiting ?? Number.POSITIVE_INFINITY;
  }

  /** Jobs waiting to start. */
  get waiting(): number {
    return this.#queue.size;
  }

  /** Jobs running. */
  get running(): number {
    return this.#queue.pending;
  }

  /**
   * Run `job` once the limits allow; settles as it does. Rejects with
   * {@link QueueFullError} when it would wait behind `maxWaiting` others,
   * with an `AbortError` when `signal` aborts before the job starts (it
   * leaves the queue). Once started, the job is on its own; the listener is
   * removed then.
   */
  run<T>(job: () => Promise<T>, options?: SignalOptions): Promise<T> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(AbortError.fromSignal(signal));
    const id = String(this.#ids++);
    return new Promise<T>((resolve, reject) => {
      const drop = (error: Error): void => {
        this.#cancels.delete(id);
        signal?.removeEventListener('abort', onAbort);
        if (this.#waiting.remove(id)) reject(error);
      };
      const onAbort = (): void => drop(AbortError.fromSignal(signal!));
      const started = (): Promise<T> => {
        this.#cancels.delete(id);
        signal?.removeEventListener('abort', onAbort);
        return job();
      };
      this.#cancels.set(id, drop);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.add(started, { id }).then(resolve as (v: unknown) => void, reject);
      if (this.#queue.size > this.#maxWaiting) {
        drop(new QueueFullError(`${this.#maxWaiting} jobs are already waiting`));
      }
    });
  }

  /** Reject every waiting job with `error`; they leave the queue. */
  clear(error: Error): void {
    for (const drop of [...this.#cancels.values()]) drop(error);
  }
}
