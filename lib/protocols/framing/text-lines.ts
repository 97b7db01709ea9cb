// Internal: text lines decoded a chunk at a time (the fast path of `lines(…, { encoding })` and of `LineReceiver.encoding`).
// Tests: tests/protocols/framing/lines.test.ts, tests/protocols/basic/line-receiver.test.ts
import { Buffer } from 'node:buffer';
import type { ChunkQueue } from './chunk-queue.js';

/** Encodings in which every byte below 0x80 decodes to that character, and never inside a longer sequence. */
const ASCII_COMPATIBLE = new Set(['utf8', 'utf-8', 'latin1', 'binary', 'ascii']);

const NO_LINES: string[] = [];

/** What {@link TextLines} knows of one delimiter and encoding. */
interface Eligibility {
  readonly delimiter: Buffer;
  readonly encoding: BufferEncoding;
  /** {@link decodesByRegion} holds. */
  readonly ok: boolean;
  /** The delimiter as text (it is ASCII when `ok`). */
  readonly delimiterText: string;
  /** The encoding is UTF-8 (else one byte per character). */
  readonly utf8: boolean;
}

/**
 * Whether lines may be decoded a whole region at a time and split as text:
 * the encoding is ASCII-compatible, the delimiter is ASCII, and no
 * occurrence of the delimiter can overlap another (no proper prefix of it
 * is also a suffix), so splitting the text finds exactly the delimiters
 * that a byte-wise search from the front finds.
 */
function decodesByRegion(encoding: BufferEncoding, delimiter: Buffer): boolean {
  if (!ASCII_COMPATIBLE.has(encoding.toLowerCase())) return false;
  if (delimiter.some((byte) => byte >= 0x80)) return false;
  const d = delimiter.length;
  for (let k = 1; k < d; k++) {
    if (delimiter.subarray(0, k).equals(delimiter.subarray(d - k))) return false;
  }
  return true;
}

/**
 * The lines of `text`, which ends with `delimiter`, without their
 * delimiters (a search loop: cheaper than `split`, which also makes the
 * empty piece after the last delimiter).
 */
function linesOf(text: string, delimiter: string): string[] {
  const lines: string[] = [];
  const d = delimiter.length;
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf(delimiter, start);
    if (end < 0) break; // (never: the region ends with a delimiter)
    lines.push(text.slice(start, end));
    start = end + d;
  }
  return lines;
}

/**
 * Text lines decoded a chunk at a time: the bytes of the queue's first
 * chunk up to its last delimiter are decoded once and split, as a
 * hand-written server splits a decoded chunk, instead of decoding line by
 * line. The queue stays in step: each line handed out is consumed from it,
 * so whoever reads the queue between lines sees exactly what follows.
 *
 * Whenever it cannot tell for sure, it answers `undefined` and the caller
 * takes the line the byte-wise way (`takeTextUntil`): for a line that
 * straddles chunks, a line over the length limit (the byte-wise way then
 * reports it, with its offset), a region that does not decode cleanly
 * (UTF-8 with U+FFFD in it), an encoding or delimiter it does not handle,
 * or a queue consumed by someone else since.
 */
export class TextLines {
  /** The decoded lines of the current region, taken from {@link #index} on. */
  #lines: string[] = NO_LINES;
  #index = 0;
  /** Queue offset at which the next cached line starts (the cache is stale at any other). */
  #offset = -1;
  /** Queue offset just past the region. */
  #end = -1;
  /** The region's characters are one byte each (single-byte encoding, or ASCII-only UTF-8). */
  #singleByte = true;
  /** What the region was decoded for; another delimiter or encoding makes it stale. */
  #delimiter: Buffer | null = null;
  #encoding: BufferEncoding | null = null;
  /** The last delimiter and encoding asked about. */
  #checked: Eligibility | null = null;

  /** The next line (consumed from `queue`), or `undefined`: take it the byte-wise way. */
  take(
    queue: ChunkQueue,
    delimiter: Buffer,
    encoding: BufferEncoding,
    maxLength: number,
  ): string | undefined {
    if (!this.#ready(queue, delimiter, encoding)) return undefined;
    const line = this.#lines[this.#index]!;
    const bytes = this.#singleByte ? line.length : Buffer.byteLength(line, 'utf8');
    if (bytes > maxLength) {
      this.#release();
      return undefined;
    }
    this.#index++;
    queue.skip(bytes + delimiter.length);
    this.#offset = queue.offset;
    if (this.#index === this.#lines.length) this.#release();
    return line;
  }

  /**
   * Every line left of the current region at once (consumed from `queue`),
   * when none can be over `maxLength`; otherwise `undefined`.
   */
  takeRegion(
    queue: ChunkQueue,
    delimiter: Buffer,
    encoding: BufferEncoding,
    maxLength: number,
  ): string[] | undefined {
    if (!this.#ready(queue, delimiter, encoding)) return undefined;
    const lines = this.#index === 0 ? this.#lines : this.#lines.slice(this.#index);
    let chars = 0;
    for (const line of lines) chars = Math.max(chars, line.length);
    if (chars > (this.#singleByte ? maxLength : maxLength / 3)) return undefined;
    queue.skip(this.#end - queue.offset);
    this.#release();
    return lines;
  }

  /** Whether a cached line is due at the queue's front, decoding the next region if needed. */
  #ready(queue: ChunkQueue, delimiter: Buffer, encoding: BufferEncoding): boolean {
    if (
      this.#index < this.#lines.length &&
      queue.offset === this.#offset &&
      delimiter === this.#delimiter &&
      encoding === this.#encoding
    ) {
      return true;
    }
    this.#release();
    const how = this.#eligibility(delimiter, encoding);
    return how.ok && this.#fill(queue, how);
  }

  #eligibility(delimiter: Buffer, encoding: BufferEncoding): Eligibility {
    const c = this.#checked;
    if (c !== null && c.delimiter === delimiter && c.encoding === encoding) return c;
    this.#checked = {
      delimiter,
      encoding,
      ok: decodesByRegion(encoding, delimiter),
      delimiterText: delimiter.toString('latin1'),
      utf8: encoding.toLowerCase().startsWith('utf'),
    };
    return this.#checked;
  }

  /** Decode the first chunk's whole lines; false if it has none (or they do not decode cleanly). */
  #fill(queue: ChunkQueue, how: Eligibility): boolean {
    const { delimiter, encoding } = how;
    const n = queue.throughLastIn(delimiter);
    if (n === 0) return false;
    const text = queue.peekText(n, encoding);
    const singleByte = !how.utf8 || text.length === n;
    if (!singleByte && text.includes('\uFFFD')) return false;
    this.#lines = linesOf(text, how.delimiterText);
    this.#index = 0;
    this.#offset = queue.offset;
    this.#end = queue.offset + n;
    this.#singleByte = singleByte;
    this.#delimiter = delimiter;
    this.#encoding = encoding;
    return true;
  }

  #release(): void {
    this.#lines = NO_LINES;
    this.#index = 0;
  }
}
