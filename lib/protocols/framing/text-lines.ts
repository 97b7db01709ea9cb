// Internal: text lines decoded a chunk at a time (the fast path of `lines(…, { encoding })`).
// Tests: tests/protocols/framing/lines.test.ts, tests/protocols/framing/batch.test.ts
import { Buffer } from 'node:buffer';
import type { ChunkQueue } from './chunk-queue.js';
import { takeTextUntil, tooLong } from './line-rule.js';

/** Encodings in which every byte below 0x80 decodes to that character, and never inside a longer sequence. */
const ASCII_COMPATIBLE = new Set(['utf8', 'utf-8', 'latin1', 'binary', 'ascii']);

const NO_LINES: string[] = [];

/**
 * Whether lines may be decoded a whole region at a time and split as text:
 * the encoding is ASCII-compatible, the delimiter is ASCII, and no
 * occurrence of the delimiter can overlap another (no proper prefix of it
 * is also a suffix), so splitting the text finds exactly the delimiters
 * that a byte-wise search from the front finds.
 */
export function decodesByRegion(encoding: BufferEncoding, delimiter: Buffer): boolean {
  if (!ASCII_COMPATIBLE.has(encoding.toLowerCase())) return false;
  if (delimiter.some((byte) => byte >= 0x80)) return false;
  const d = delimiter.length;
  for (let k = 1; k < d; k++) {
    if (delimiter.subarray(0, k).equals(delimiter.subarray(d - k))) return false;
  }
  return true;
}

/**
 * Text lines taken a region at a time: the bytes of a chunk up to its last
 * delimiter are decoded once and split, as a hand-written server splits a
 * decoded chunk, instead of decoding line by line. Lines that straddle
 * chunks, and regions that do not decode cleanly (UTF-8 with U+FFFD in
 * it), are taken line by line. Lengths are checked in bytes, with
 * `lineLength`'s rule and offsets. Only for {@link decodesByRegion}.
 */
export class TextLines {
  readonly #delimiter: Buffer;
  readonly #delimiterText: string;
  readonly #maxLength: number;
  readonly #encoding: BufferEncoding;
  /** Characters are one byte each (else UTF-8). */
  readonly #singleByte: boolean;
  /** The decoded lines of the current region, taken from {@link #index} on. */
  #lines: string[] = NO_LINES;
  #index = 0;
  /** Some line of the region may be over `maxLength`: each is checked. */
  #check = false;
  /** The region's characters are one byte each (single-byte encoding, or ASCII-only UTF-8). */
  #regionSingleByte = true;
  /** Stream offset of the region's first byte. */
  #offset = 0;
  /** A framing error met by {@link takeBatch} after some lines: thrown by the next call. */
  #failure: { error: unknown } | null = null;

  constructor(delimiter: Buffer, maxLength: number, encoding: BufferEncoding) {
    this.#delimiter = delimiter;
    this.#delimiterText = delimiter.toString('latin1');
    this.#maxLength = maxLength;
    this.#encoding = encoding;
    this.#singleByte = !encoding.toLowerCase().startsWith('utf');
  }

  /** The next line, or `null` until one is complete (throws as `takeTextUntil`). */
  take(queue: ChunkQueue): string | null {
    if (this.#index < this.#lines.length || this.#fill(queue)) return this.#next();
    return takeTextUntil(queue, this.#delimiter, this.#maxLength, this.#encoding);
  }

  /**
   * Every complete line buffered (at least one), or `null` when none is. A
   * framing error after some lines is thrown by the next call, so the lines
   * before the bad one are delivered first.
   */
  takeBatch(queue: ChunkQueue): string[] | null {
    if (this.#failure !== null) throw this.#failure.error;
    let out: string[] | null = null;
    try {
      for (;;) {
        if (this.#index < this.#lines.length || this.#fill(queue)) {
          if (out === null && this.#index === 0 && !this.#check) {
            out = this.#lines; // the whole region, as split
            this.#release();
            continue;
          }
          out ??= [];
          while (this.#index < this.#lines.length) out.push(this.#next());
          continue;
        }
        const line = takeTextUntil(queue, this.#delimiter, this.#maxLength, this.#encoding);
        if (line === null) return out;
        out ??= [];
        out.push(line);
      }
    } catch (error) {
      if (out === null || out.length === 0) throw error;
      this.#failure = { error };
      return out;
    }
  }

  /** Decode the first chunk's whole lines into {@link #lines}; false if it has none (or not cleanly). */
  #fill(queue: ChunkQueue): boolean {
    const n = queue.throughLastIn(this.#delimiter);
    if (n === 0) return false;
    const text = queue.peekText(n, this.#encoding);
    const singleByte = this.#singleByte || text.length === n;
    if (!singleByte && text.includes('\uFFFD')) return false;
    this.#offset = queue.offset;
    queue.skip(n);
    const lines = text.split(this.#delimiterText);
    lines.pop(); // the region ends with a delimiter: the last piece is empty
    this.#lines = lines;
    this.#index = 0;
    this.#regionSingleByte = singleByte;
    this.#check = text.length > (singleByte ? this.#maxLength : this.#maxLength / 3);
    return true;
  }

  #next(): string {
    const i = this.#index++;
    const line = this.#lines[i]!;
    if (this.#check) this.#checkLength(line, i);
    if (this.#index === this.#lines.length) this.#release();
    return line;
  }

  #release(): void {
    this.#lines = NO_LINES;
    this.#index = 0;
  }

  /** Throw `FrameTooLong` if `line` (the region's `i`th) is over `maxLength` bytes. */
  #checkLength(line: string, i: number): void {
    const bytes = this.#byteLength(line);
    if (bytes <= this.#maxLength) return;
    let offset = this.#offset;
    for (let j = 0; j < i; j++)
      offset += this.#byteLength(this.#lines[j]!) + this.#delimiter.length;
    this.#release();
    throw tooLong(offset, this.#maxLength, bytes, 'before its delimiter');
  }

  #byteLength(text: string): number {
    return this.#regionSingleByte ? text.length : Buffer.byteLength(text, 'utf8');
  }
}
