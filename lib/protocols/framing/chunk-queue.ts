// Internal: the byte buffer shared by every framing in this folder (and LineReceiver's).
// Tests: tests/protocols/framing/byte-reader.test.ts, tests/protocols/framing/frame-stream.test.ts (through its users)
import { Buffer } from 'node:buffer';
import { toBytes } from '../transport.js';
import { UnexpectedEOF } from './errors.js';

const EMPTY = Buffer.alloc(0);
/** Chunks smaller than this are copied together rather than queued one by one. */
const SMALL_CHUNK = 512;
const ACCUMULATOR_SIZE = 16384;

/**
 * A FIFO of received chunks with the synchronous operations framings need
 * (find a delimiter, take n bytes); a {@link SourceQueue} also pulls them
 * from a source.
 * Whole chunks are kept as they arrived (frames are zero-copy views into
 * them when they do not straddle chunks); small chunks arriving behind
 * buffered data are gathered into one accumulator so the chunk list stays
 * short whatever the chunking.
 */
export class ChunkQueue {
  #chunks: Buffer[] = [];
  #head = 0;
  #size = 0;
  #offset = 0;
  #acc: Buffer = EMPTY;
  #accStart = 0;
  #accEnd = 0;
  #accQueued = false;
  #scanDelim: Buffer | null = null;
  #scanned = 0;

  /** Number of bytes buffered. */
  get size(): number {
    return this.#size;
  }

  /** Stream offset of the first buffered byte (bytes consumed so far). */
  get offset(): number {
    return this.#offset;
  }

  /** Append received bytes. */
  push(data: Uint8Array): void {
    const n = data.byteLength;
    if (n === 0) return;
    if (this.#size > 0 && n < SMALL_CHUNK) {
      this.#append(data);
    } else {
      this.#chunks.push(toBytes(data));
      this.#accQueued = false;
    }
    this.#size += n;
  }

  #append(data: Uint8Array): void {
    const n = data.byteLength;
    if (this.#accEnd + n > this.#acc.length) {
      // Bytes before #accEnd may be referenced by frames handed out: never reuse them.
      this.#acc = Buffer.allocUnsafe(Math.max(ACCUMULATOR_SIZE, n));
      this.#accEnd = 0;
      this.#accQueued = false;
    }
    if (!this.#accQueued) {
      this.#accStart = this.#accEnd;
      this.#chunks.push(EMPTY);
      this.#accQueued = true;
    }
    this.#acc.set(data, this.#accEnd);
    this.#accEnd += n;
    this.#chunks[this.#chunks.length - 1] = this.#acc.subarray(this.#accStart, this.#accEnd);
  }

  /**
   * Index (relative to the first buffered byte) of the first occurrence of
   * `delim`, or -1. Bytes already searched for the same delimiter object
   * are not searched again.
   */
  find(delim: Buffer): number {
    const from = this.#scanDelim === delim ? this.#scanned : 0;
    const i = this.#indexOf(delim, from);
    if (i < 0) {
      this.#scanDelim = delim;
      this.#scanned = Math.max(0, this.#size - delim.length + 1);
    }
    return i;
  }

  #indexOf(delim: Buffer, from: number): number {
    const chunks = this.#chunks;
    if (chunks.length === 1) {
      const i = indexIn(chunks[0]!, delim, this.#head + from);
      return i < 0 ? -1 : i - this.#head;
    }
    const d = delim.length;
    let base = 0;
    for (let c = 0; c < chunks.length; c++) {
      const chunk = chunks[c]!;
      const start = c === 0 ? this.#head : 0;
      const len = chunk.length - start;
      if (from < base + len) {
        const i = indexIn(chunk, delim, start + Math.max(0, from - base));
        if (i >= 0) return base + i - start;
        // A delimiter may start in this chunk's last d - 1 bytes and end later.
        for (let p = Math.max(from, base + len - d + 1); p < base + len; p++) {
          if (this.#matchesAt(delim, c, p - base + start)) return p;
        }
      }
      base += len;
    }
    return -1;
  }

  /** Whether `delim` occurs at index `i` of chunk `c` (possibly straddling chunks). */
  #matchesAt(delim: Buffer, c: number, i: number): boolean {
    const chunks = this.#chunks;
    for (let k = 0; k < delim.length; k++, i++) {
      while (i >= chunks[c]!.length) {
        i -= chunks[c]!.length;
        c++;
        if (c >= chunks.length) return false;
      }
      if (chunks[c]![i] !== delim[k]) return false;
    }
    return true;
  }

  /** The byte at index `i` of the buffer (`i < size`). */
  byteAt(i: number): number {
    i += this.#head;
    for (const chunk of this.#chunks) {
      if (i < chunk.length) return chunk[i]!;
      i -= chunk.length;
    }
    throw new RangeError(`byte ${i} is past the buffered data`);
  }

  /** Remove and return the first `n` bytes (`n <= size`). */
  take(n: number): Buffer {
    if (n === 0 || this.#size === 0) return EMPTY;
    const out = this.peek(n);
    this.skip(n);
    return out;
  }

  /**
   * Remove the first `n` bytes (`n <= size`) and return them decoded with
   * `encoding`, straight from the received chunk when they lie in one
   * (decoding a range of a chunk costs less than decoding a view of it).
   */
  takeText(n: number, encoding: BufferEncoding): string {
    const text = this.peekText(n, encoding);
    this.skip(n);
    return text;
  }

  /** The first `n` bytes decoded with `encoding`, left in the buffer (see {@link takeText}). */
  peekText(n: number, encoding: BufferEncoding): string {
    const first = this.#chunks[0];
    const head = this.#head;
    if (first !== undefined && head + n <= first.length) {
      return first.toString(encoding, head, head + n);
    }
    return this.peek(n).toString(encoding);
  }

  /**
   * The number of bytes from the first buffered one through the end of the
   * last `delim` lying wholly in the first chunk, or 0 if none does.
   */
  throughLastIn(delim: Buffer): number {
    const first = this.#chunks[0];
    if (first === undefined) return 0;
    const d = delim.length;
    // A chunk of whole requests ends with the delimiter: look there first.
    const tail = first.length - d;
    const i = endsWith(first, delim)
      ? tail
      : d === 1
        ? first.lastIndexOf(delim[0]!)
        : first.lastIndexOf(delim, tail);
    return i < this.#head ? 0 : i + d - this.#head;
  }

  /** The first `n` bytes, left in the buffer (a view when contiguous, else a copy). */
  peek(n: number): Buffer {
    const first = this.#chunks[0];
    if (first !== undefined && this.#head + n <= first.length) {
      return first.subarray(this.#head, this.#head + n);
    }
    const out = Buffer.allocUnsafe(n);
    this.#copyTo(out, n);
    return out;
  }

  #copyTo(out: Buffer, n: number): void {
    let written = 0;
    let start = this.#head;
    for (const chunk of this.#chunks) {
      if (written >= n) break;
      const count = Math.min(chunk.length - start, n - written);
      chunk.copy(out, written, start, start + count);
      written += count;
      start = 0;
    }
  }

  /** Drop the first `n` bytes (`n <= size`). */
  skip(n: number): void {
    this.#size -= n;
    this.#offset += n;
    this.#scanDelim = null;
    const chunks = this.#chunks;
    if (this.#size === 0) {
      if (chunks.length === 1) chunks.pop();
      else chunks.length = 0;
      this.#head = 0;
      this.#accQueued = false;
      return;
    }
    let head = this.#head + n;
    while (head >= chunks[0]!.length) {
      head -= chunks[0]!.length;
      chunks.shift();
    }
    this.#head = head;
  }

  /** Remove and return everything buffered. */
  takeAll(): Buffer {
    return this.take(this.#size);
  }

  /** Replace the whole buffer with `data` (offsets keep counting). */
  replace(data: Uint8Array): void {
    this.skip(this.#size);
    this.push(data);
  }

  /**
   * Consume what is buffered into an {@link UnexpectedEOF} for a stream
   * that ended inside a `what` (e.g. `'line'`).
   */
  unexpectedEOF(what: string): UnexpectedEOF {
    const start = this.#offset;
    const partial = this.takeAll();
    const end = this.#offset;
    return new UnexpectedEOF(
      `stream ended at byte offset ${end} inside a ${what} that started at byte offset ${start} (${partial.length} bytes received)`,
      end,
      partial,
    );
  }
}

/**
 * Index of the first whole occurrence of `delim` in `chunk` from `from`, or
 * -1. Delimiters of one or two bytes (`\n`, `\r\n`) are found by searching
 * for their first byte, several times faster than a general search.
 */
function indexIn(chunk: Buffer, delim: Buffer, from: number): number {
  const d = delim.length;
  if (d > 2) return chunk.indexOf(delim, from);
  const first = delim[0]!;
  if (d === 1) return chunk.indexOf(first, from);
  const second = delim[1]!;
  const last = chunk.length - 1;
  for (let i = chunk.indexOf(first, from); i >= 0 && i < last; i = chunk.indexOf(first, i + 1)) {
    if (chunk[i + 1] === second) return i;
  }
  return -1;
}

/** Whether `chunk` ends with `delim`. */
function endsWith(chunk: Buffer, delim: Buffer): boolean {
  const tail = chunk.length - delim.length;
  if (tail < 0) return false;
  for (let k = 0; k < delim.length; k++) if (chunk[tail + k] !== delim[k]) return false;
  return true;
}
