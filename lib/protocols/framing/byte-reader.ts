// Tests: tests/protocols/framing/byte-reader.test.ts
import type { Buffer } from 'node:buffer';
import { type ByteSource, SourceQueue } from './source-queue.js';
import type { Data } from '../transport.js';
import { takeUntil } from './line-rule.js';
import { toDelimiter } from './lines.js';

/** Options of {@link ByteReader}. */
export interface ByteReaderOptions {
  /** What {@link ByteReader.readLine} reads up to. Default `'\r\n'`. */
  delimiter?: Data;
  /** Default longest frame for `readLine`/`readUntil`, in bytes. Default 16384. */
  maxLength?: number;
}

/** Per-call option of {@link ByteReader.readLine} and {@link ByteReader.readUntil}. */
export interface ReadLimitOptions {
  /** Longest frame accepted, delimiter excluded (defaults to the reader's). */
  maxLength?: number;
}

/**
 * Reads a byte stream in frames of your choice, mixing them freely: lines,
 * bytes up to a delimiter, exactly n bytes, or whatever is available. It
 * pulls from the source only when the buffered bytes cannot satisfy a read
 * (so a slow consumer slows the peer down). Each read returns a
 * `Uint8Array` (delimiter consumed, not included), or `null` when the
 * stream ended cleanly on a frame boundary; ending mid-frame throws
 * `UnexpectedEOF`; a frame over `maxLength` throws `FrameTooLong` (and
 * leaves the bytes buffered). One read at a time.
 *
 * The reader is itself an async iterable of the remaining bytes, buffered
 * ones first — the way to switch to raw data mid-stream, like
 * `setRawMode`. Leaving that loop early does not close the source: reads
 * may continue after it. {@link detach} hands back the buffered bytes and
 * stops reading (for STARTTLS).
 *
 * @example
 * ```ts
 * const reader = new ByteReader(conn);
 * const header = await reader.readLine(); // "LEN 5"
 * const body = await reader.readExactly(5);
 * for await (const rest of reader) sink.write(rest); // raw from here on
 * ```
 */
export class ByteReader implements AsyncIterable<Uint8Array> {
  #queue: SourceQueue;
  #delimiter: Buffer;
  #maxLength: number;

  /** Read from `source`, an async (or sync) iterable of byte chunks. */
  constructor(source: ByteSource, options: ByteReaderOptions = {}) {
    this.#queue = new SourceQueue(source);
    this.#delimiter = toDelimiter(options.delimiter ?? '\r\n');
    this.#maxLength = options.maxLength ?? 16384;
  }

  /** The next line, without the reader's delimiter; `null` at a clean end. */
  readLine(options: ReadLimitOptions = {}): Promise<Uint8Array | null> {
    return this.#readUntil(this.#delimiter, options.maxLength ?? this.#maxLength, 'line');
  }

  /** The bytes before the next `delimiter`, which is consumed; `null` at a clean end. */
  readUntil(delimiter: Data, options: ReadLimitOptions = {}): Promise<Uint8Array | null> {
    return this.#readUntil(
      toDelimiter(delimiter),
      options.maxLength ?? this.#maxLength,
      'delimited frame',
    );
  }

  async #readUntil(delimiter: Buffer, maxLength: number, what: string): Promise<Buffer | null> {
    const q = this.#queue;
    for (;;) {
      const frame = takeUntil(q, delimiter, maxLength);
      if (frame !== null) return frame;
      if (!(await q.pull())) return this.#atEnd(what);
    }
  }

  /** Exactly `n` bytes; `null` at a clean end (nothing buffered). */
  async readExactly(n: number): Promise<Uint8Array | null> {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`readExactly needs a non-negative integer, not ${n}`);
    }
    const q = this.#queue;
    while (q.size < n) {
      if (!(await q.pull())) return this.#atEnd(`${n}-byte frame`);
    }
    return q.take(n);
  }

  /** Whatever is buffered, or else the next chunk from the source; `null` at the end. */
  async readSome(): Promise<Uint8Array | null> {
    const q = this.#queue;
    while (q.size === 0) {
      if (!(await q.pull())) return null;
    }
    return q.takeAll();
  }

  #atEnd(what: string): null {
    if (this.#queue.size === 0) return null;
    throw this.#queue.unexpectedEOF(what);
  }

  /**
   * Return the bytes read from the source but not consumed, and stop
   * reading: no more is taken from the source, which stays open for its
   * next user (e.g. `conn.startTLS(options, reader.detach())`). Later reads
   * see a clean end.
   */
  detach(): Uint8Array {
    const rest = this.#queue.takeAll();
    this.#queue.detach();
    return rest;
  }

  /** The remaining bytes: the buffered ones first, then the source's chunks as they come. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    const q = this.#queue;
    for (;;) {
      if (q.size > 0) yield q.takeAll();
      else if (!(await q.pull())) return;
    }
  }
}
