// Internal: a ChunkQueue that pulls its chunks from a source, as the framings read.
// Tests: tests/protocols/framing/byte-reader.test.ts, tests/protocols/framing/frame-stream.test.ts (through its users)
import { isThenable } from '../../defer/index.js';
import { type Data, toBytes } from '../transport.js';
import { ChunkQueue } from './chunk-queue.js';
import { type ChunkSink, isDirectChunkReader, readDirect } from './direct-read.js';

/** What the framings read from: chunks of bytes (strings are taken as UTF-8). */
export type ByteSource = AsyncIterable<Data> | Iterable<Data>;

/** Receives the outcome of a {@link SourceQueue.pullNow} that had to wait: exactly one call. */
export interface PullSink {
  /** `true`: a chunk was added to the queue; `false`: the source has ended. */
  pulled(more: boolean): void;
  /** The source failed with `error`. */
  pullFailed(error: unknown): void;
}

/**
 * A {@link ChunkQueue} filled from a source: an async iterable such as a
 * `Connection` (read directly, without a promise per chunk, when it offers
 * `readDirect`) or any iterable of chunks.
 */
export class SourceQueue extends ChunkQueue {
  readonly #source: ByteSource;
  #direct: (ChunkSink & { target: PullSink | null }) | null = null;
  #iterator: AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string> | null = null;
  #ended = false;

  /** @param source where the chunks come from. */
  constructor(source: ByteSource) {
    super();
    this.#source = source;
  }

  /** True once the source has ended (or was detached). */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Pull one more chunk from the source into the buffer. Resolves `false`
   * at the end of the source (or if there is none), `true` otherwise (the
   * chunk may have been empty).
   */
  pull(): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const now = this.pullNow({ pulled: resolve, pullFailed: reject });
      if (now !== undefined) resolve(now);
    });
  }

  /**
   * {@link pull} without a promise when the outcome is known at once:
   * `true` (a chunk was added) or `false` (the source has ended). Throws if
   * the source failed. Otherwise returns `undefined` and later calls `sink`,
   * exactly once. Sources read with {@link readDirect} (a
   * `StreamConnection`) hand over buffered chunks synchronously and waited
   * ones the moment they arrive.
   */
  pullNow(sink: PullSink): boolean | undefined {
    if (this.#ended) return false;
    this.#iterator ??= openIterator(this.#source);
    const it = this.#iterator;
    let r: IteratorResult<Uint8Array | string> | PromiseLike<IteratorResult<Uint8Array | string>>;
    try {
      if (isDirectChunkReader(it)) {
        this.#direct ??= new SourceQueue.#DirectSink(this);
        this.#direct.target = sink;
        const chunk = it[readDirect](this.#direct);
        if (chunk === undefined) return undefined;
        this.#direct.target = null;
        return this.#accept(chunk);
      }
      r = it.next();
    } catch (e) {
      this.#failed();
      throw e;
    }
    if (!isThenable(r)) return this.#acceptResult(r);
    r.then(
      (result) => {
        let more: boolean;
        try {
          more = this.#acceptResult(result);
        } catch (e) {
          sink.pullFailed(e);
          return;
        }
        sink.pulled(more);
      },
      (e: unknown) => {
        this.#failed();
        sink.pullFailed(e);
      },
    );
    return undefined;
  }

  /** Where a waiting direct read delivers: into the queue, then to the pull's sink. */
  static readonly #DirectSink = class implements ChunkSink {
    readonly #queue: SourceQueue;
    target: PullSink | null = null;
    constructor(queue: SourceQueue) {
      this.#queue = queue;
    }
    chunk(data: Uint8Array): void {
      const sink = this.target!;
      this.target = null;
      this.#queue.push(data);
      sink.pulled(true);
    }
    end(error: Error | null): void {
      const sink = this.target!;
      this.target = null;
      if (error === null) {
        this.#queue.#ended = true;
        sink.pulled(false);
      } else {
        this.#queue.#failed();
        sink.pullFailed(error);
      }
    }
  };

  #accept(chunk: Uint8Array | null): boolean {
    if (chunk === null) {
      this.#ended = true;
      return false;
    }
    this.push(chunk);
    return true;
  }

  #acceptResult(r: IteratorResult<Uint8Array | string>): boolean {
    if (r.done) {
      this.#ended = true;
      return false;
    }
    this.push(toBytes(r.value));
    return true;
  }

  #failed(): void {
    this.#ended = true;
    this.#iterator = null;
  }

  /** Stop pulling: later pulls report the end; the source is left open. */
  detach(): void {
    this.#ended = true;
  }

  /**
   * Close the source's iterator (as `for await` does when left early),
   * unless the source has already ended or failed.
   */
  async close(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    const it = this.#iterator;
    this.#iterator = null;
    if (it?.return) await it.return();
  }
}

function openIterator(
  source: ByteSource,
): AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string> {
  const asyncIt = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator];
  if (typeof asyncIt === 'function') return asyncIt.call(source);
  return (source as Iterable<Uint8Array | string>)[Symbol.iterator]();
}
