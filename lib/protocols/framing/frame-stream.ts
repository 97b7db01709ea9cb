// Internal: turn a synchronous frame parser into an async generator of frames.
// Tests: tests/protocols/framing/frame-stream.test.ts, and *.test.ts through lines, netstrings, lengthPrefixed
import type { ChunkQueue } from './chunk-queue.js';
import { type ByteSource, type PullSink, SourceQueue } from './source-queue.js';

/**
 * Parse a frame off the front of the queue: the frame, or `null` when more
 * bytes are needed. Throws a `FramingError` on bad input.
 */
export type FrameParser<T> = (queue: ChunkQueue) => T | null;

const DONE: IteratorResult<never, void> = Object.freeze({ value: undefined, done: true });

/** The `batch` option shared by the framings. */
export interface BatchOption {
  /**
   * Yield arrays: every complete frame available in one read, in order
   * (never empty), so a protocol answering a whole chunk at once pays one
   * async step per chunk instead of one per frame. Default false.
   */
  batch?: boolean;
}

/**
 * `parse` made to take every complete frame buffered: an array of at least
 * one frame, or `null` when not even one is complete. A framing error after
 * some frames were taken is thrown by the next call, so the frames before
 * the bad one are delivered first. `takeMany`, if given, may take several
 * frames at once to start with (`undefined` when it cannot).
 */
export function batched<T>(
  parse: FrameParser<T>,
  takeMany?: (queue: ChunkQueue) => T[] | undefined,
): FrameParser<T[]> {
  let failure: { error: unknown } | null = null;
  return (queue) => {
    if (failure !== null) throw failure.error;
    if (queue.size === 0) return null;
    let frames = takeMany?.(queue);
    if (frames === undefined) {
      const first = parse(queue);
      if (first === null) return null;
      frames = [first];
    }
    try {
      while (queue.size > 0) {
        const frame = parse(queue);
        if (frame === null) break;
        frames.push(frame);
      }
    } catch (error) {
      failure = { error };
    }
    return frames;
  };
}

/** {@link frameStream} of single frames, or of {@link batched} arrays when `batch` is set. */
export function framesOf<T>(
  source: ByteSource,
  parse: FrameParser<T>,
  what: string,
  batch: boolean | undefined,
): AsyncGenerator<T | T[], void, undefined> {
  return batch ? frameStream(source, batched(parse), what) : frameStream(source, parse, what);
}

/**
 * Yield every frame `parse` finds in `source`, pulling a chunk only when the
 * buffered bytes hold no complete frame, and yielding all the frames of one
 * chunk in a row with no wait in between. A source ending on a frame
 * boundary ends the generator; ending inside a `what` throws `UnexpectedEOF`.
 * Leaving early (break, or a framing error) closes the source's iterator.
 *
 * The result behaves as an async generator (calls are served in order,
 * `return()`/`throw()` close the source) but is a plain state machine: a
 * frame already buffered is returned as a settled promise, and a frame that
 * needs input is delivered as soon as its chunk arrives, with no extra
 * promise hops in between.
 */
export function frameStream<T>(
  source: ByteSource,
  parse: FrameParser<T>,
  what: string,
): AsyncGenerator<T, void, undefined> {
  return new FrameStream(source, parse, what);
}

class FrameStream<T> implements AsyncGenerator<T, void, undefined>, PullSink {
  readonly #queue: SourceQueue;
  readonly #parse: FrameParser<T>;
  readonly #what: string;
  #done = false;
  /** The pending `next()` waiting for input, if any. */
  #resolve: ((r: IteratorResult<T, void>) => void) | null = null;
  #reject: ((e: unknown) => void) | null = null;
  /** Calls made while a `next()` waits, run in order once it settles. */
  #queued: (() => void)[] = [];

  constructor(source: ByteSource, parse: FrameParser<T>, what: string) {
    this.#queue = new SourceQueue(source);
    this.#parse = parse;
    this.#what = what;
  }

  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    return this;
  }

  next(): Promise<IteratorResult<T, void>> {
    if (this.#resolve !== null) return this.#later(() => this.next());
    if (this.#done) return Promise.resolve(DONE);
    let step: IteratorResult<T, void> | undefined;
    try {
      step = this.#advance(true);
    } catch (e) {
      return this.#fail(e);
    }
    if (step !== undefined) return Promise.resolve(step);
    return new Promise(this.#wait);
  }

  /** The executor of a waiting `next()`'s promise (one closure per stream, not per wait). */
  readonly #wait = (
    resolve: (r: IteratorResult<T, void>) => void,
    reject: (e: unknown) => void,
  ): void => {
    this.#resolve = resolve;
    this.#reject = reject;
  };

  return(): Promise<IteratorResult<T, void>> {
    if (this.#resolve !== null) return this.#later(() => this.return());
    if (this.#done) return Promise.resolve(DONE);
    this.#done = true;
    return this.#queue.close().then(() => DONE);
  }

  throw(error: unknown): Promise<IteratorResult<T, void>> {
    if (this.#resolve !== null) return this.#later(() => this.throw(error));
    if (this.#done) return Promise.reject(error);
    return this.#fail(error);
  }

  /** @internal {@link PullSink}: the chunk a waiting `next()` asked for has come (or the end). */
  pulled(more: boolean): void {
    let step: IteratorResult<T, void> | undefined;
    try {
      step = this.#advance(more);
    } catch (e) {
      this.#settle(null, e);
      return;
    }
    if (step !== undefined) this.#settle(step, undefined);
  }

  /** @internal {@link PullSink}: the source failed. */
  pullFailed(error: unknown): void {
    this.#settle(null, error);
  }

  /**
   * The next step: a frame, or the end; `undefined` while waiting for input
   * (this is then the pull's sink). `more` says whether the last pull added
   * bytes (or there were bytes to start with).
   */
  #advance(more: boolean): IteratorResult<T, void> | undefined {
    const queue = this.#queue;
    for (;;) {
      if (more) {
        const frame = this.#parse(queue);
        if (frame !== null) return { value: frame, done: false };
      }
      const pulled = queue.pullNow(this);
      if (pulled === undefined) return undefined;
      if (!pulled) {
        if (queue.size === 0) {
          this.#done = true;
          return DONE;
        }
        throw queue.unexpectedEOF(this.#what);
      }
      more = true;
    }
  }

  /** Settle the waiting `next()` (with `step`, or failing with `error`), then run queued calls. */
  #settle(step: IteratorResult<T, void> | null, error: unknown): void {
    const resolve = this.#resolve!;
    const reject = this.#reject!;
    this.#resolve = null;
    this.#reject = null;
    if (step !== null) resolve(step);
    else this.#fail(error).then(resolve, reject);
    const queued = this.#queued;
    while (queued.length > 0 && this.#resolve === null) queued.shift()!();
  }

  /** End with `error`: close the source (as a generator's `finally`), then reject. */
  #fail(error: unknown): Promise<IteratorResult<T, void>> {
    this.#done = true;
    return this.#queue.close().then(() => Promise.reject(error));
  }

  #later(call: () => Promise<IteratorResult<T, void>>): Promise<IteratorResult<T, void>> {
    return new Promise((resolve, reject) => {
      this.#queued.push(() => {
        call().then(resolve, reject);
      });
    });
  }
}
