// Tests: tests/protocols/framing/lines.test.ts
import { Buffer } from 'node:buffer';
import type { ByteSource, ChunkQueue } from './chunk-queue.js';
import { type Data, toBytes } from '../transport.js';
import { FrameTooLong } from './errors.js';
import { type BatchOption, framesOf } from './frame-stream.js';

/** Options of {@link lines}. */
export interface LinesOptions extends BatchOption {
  /** What ends a line (a string means its UTF-8 bytes). Default `'\r\n'`. */
  delimiter?: Data;
  /** Longest line accepted, in bytes, delimiter excluded. Default 16384. */
  maxLength?: number;
  /** When given, lines are decoded to strings with this encoding. */
  encoding?: BufferEncoding;
  /**
   * End a line at LF or CRLF alike (the CR is dropped), for hand-typed
   * input: `nc` sends LF, telnet CRLF. Not with another `delimiter`.
   */
  anyNewline?: boolean;
}

/** A delimiter as bytes; an empty delimiter is a `RangeError`. */
export function toDelimiter(delimiter: Data): Buffer {
  const bytes = toBytes(delimiter);
  if (bytes.length === 0) throw new RangeError('a delimiter must not be empty');
  return bytes;
}

/**
 * The length of the line at the front of the queue, `delimiter` excluded,
 * or -1 if no delimiter is buffered yet. Throws {@link FrameTooLong} once
 * the line is certain to be longer than `maxLength` (as Twisted's
 * LineReceiver: `maxLength + delimiter.length` bytes without a delimiter,
 * or a delimiter found past `maxLength`).
 */
export function lineLength(queue: ChunkQueue, delimiter: Buffer, maxLength: number): number {
  const i = queue.find(delimiter);
  if (i < 0) {
    if (queue.size >= maxLength + delimiter.length) {
      throw tooLong(queue.offset, maxLength, queue.size, 'without a delimiter');
    }
    return -1;
  }
  if (i > maxLength) throw tooLong(queue.offset, maxLength, i, 'before its delimiter');
  return i;
}

/**
 * Take the bytes up to the first `delimiter` off the queue, consuming the
 * delimiter; `null` if no delimiter is buffered yet. Throws
 * {@link FrameTooLong} past `maxLength` ({@link lineLength}'s rule).
 */
export function takeUntil(queue: ChunkQueue, delimiter: Buffer, maxLength: number): Buffer | null {
  const i = lineLength(queue, delimiter, maxLength);
  if (i < 0) return null;
  const line = queue.take(i);
  queue.skip(delimiter.length);
  return line;
}

/** As {@link takeUntil}, the line decoded with `encoding` straight from the received bytes. */
function takeTextUntil(
  queue: ChunkQueue,
  delimiter: Buffer,
  maxLength: number,
  encoding: BufferEncoding,
): string | null {
  const i = lineLength(queue, delimiter, maxLength);
  if (i < 0) return null;
  const line = queue.takeText(i, encoding);
  queue.skip(delimiter.length);
  return line;
}

const LF = toDelimiter('\n');
const CR = 0x0d;

/** As {@link takeUntil} with an LF delimiter, dropping the CR before it if there is one. */
function takeUntilNewline(queue: ChunkQueue, maxLength: number): Buffer | null {
  const offset = queue.offset;
  const line = takeUntil(queue, LF, maxLength + 1);
  if (line === null) return null;
  const text = line.at(-1) === CR ? line.subarray(0, -1) : line;
  if (text.length > maxLength)
    throw tooLong(offset, maxLength, text.length, 'before its delimiter');
  return text;
}

/** The function taking one line off a queue, for `options`. */
function lineTaker(options: LinesOptions): (queue: ChunkQueue) => Buffer | null {
  const maxLength = options.maxLength ?? 16384;
  if (options.anyNewline) {
    if (options.delimiter !== undefined) {
      throw new RangeError('anyNewline ends lines at LF or CRLF: give no delimiter with it');
    }
    return (q) => takeUntilNewline(q, maxLength);
  }
  const delimiter = toDelimiter(options.delimiter ?? '\r\n');
  return (q) => takeUntil(q, delimiter, maxLength);
}

/** The function taking one line off a queue as a string decoded with `encoding`, for `options`. */
function textLineTaker(
  options: LinesOptions,
  encoding: BufferEncoding,
): (queue: ChunkQueue) => string | null {
  if (options.anyNewline) {
    const take = lineTaker(options);
    return (q) => take(q)?.toString(encoding) ?? null;
  }
  const maxLength = options.maxLength ?? 16384;
  const delimiter = toDelimiter(options.delimiter ?? '\r\n');
  if (!decodesByRegion(encoding, delimiter)) {
    return (q) => takeTextUntil(q, delimiter, maxLength, encoding);
  }
  const text = new TextLines(delimiter, maxLength, encoding);
  return (q) => text.take(q);
}

/** Encodings in which every byte below 0x80 decodes to that character, and never inside a longer sequence. */
const ASCII_COMPATIBLE = new Set(['utf8', 'utf-8', 'latin1', 'binary', 'ascii']);

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
 * Text lines taken a region at a time: the bytes of a chunk up to its last
 * delimiter are decoded once and the text split, as a hand-written server
 * splits a decoded chunk, instead of decoding line by line. Lines that
 * straddle chunks, and regions that do not decode cleanly (UTF-8 with
 * U+FFFD in it), are taken line by line. Lengths are checked in bytes, as
 * {@link lineLength} does.
 */
class TextLines {
  readonly #delimiter: Buffer;
  readonly #delimiterText: string;
  readonly #maxLength: number;
  readonly #encoding: BufferEncoding;
  /** Characters are one byte each (else UTF-8). */
  readonly #singleByte: boolean;
  /** Decoded whole lines not taken yet, from {@link #pos} on. */
  #text = '';
  #pos = 0;
  /** Stream offset of the first byte of {@link #text}. */
  #offset = 0;

  constructor(delimiter: Buffer, maxLength: number, encoding: BufferEncoding) {
    this.#delimiter = delimiter;
    this.#delimiterText = delimiter.toString('latin1');
    this.#maxLength = maxLength;
    this.#encoding = encoding;
    this.#singleByte = !encoding.toLowerCase().startsWith('utf');
  }

  /** The next line, or `null` until one is complete (throws as {@link takeTextUntil}). */
  take(queue: ChunkQueue): string | null {
    if (this.#pos < this.#text.length || this.#fill(queue)) return this.#next();
    return takeTextUntil(queue, this.#delimiter, this.#maxLength, this.#encoding);
  }

  /** Decode the first chunk's whole lines into {@link #text}; false if it has none (or not cleanly). */
  #fill(queue: ChunkQueue): boolean {
    const n = queue.throughLastIn(this.#delimiter);
    if (n === 0) return false;
    const text = queue.peekText(n, this.#encoding);
    if (!this.#singleByte && text.includes('\uFFFD')) return false;
    this.#offset = queue.offset;
    queue.skip(n);
    this.#text = text;
    this.#pos = 0;
    return true;
  }

  #next(): string {
    const text = this.#text;
    const pos = this.#pos;
    const end = text.indexOf(this.#delimiterText, pos);
    const line = text.slice(pos, end);
    this.#pos = end + this.#delimiterText.length;
    if (this.#pos === text.length) {
      this.#text = '';
      this.#pos = 0;
    }
    const max = this.#maxLength;
    if (line.length > (this.#singleByte ? max : max / 3)) this.#check(line, text, pos);
    return line;
  }

  /** Throw `FrameTooLong` if `line` (at character `pos` of `text`) is over `maxLength` bytes. */
  #check(line: string, text: string, pos: number): void {
    const single = this.#singleByte;
    const bytes = single ? line.length : Buffer.byteLength(line, 'utf8');
    if (bytes <= this.#maxLength) return;
    const offset = this.#offset + (single ? pos : Buffer.byteLength(text.slice(0, pos), 'utf8'));
    this.#text = '';
    this.#pos = 0;
    throw tooLong(offset, this.#maxLength, bytes, 'before its delimiter');
  }
}

function tooLong(offset: number, maxLength: number, length: number, how: string): FrameTooLong {
  return new FrameTooLong(
    `line starting at byte offset ${offset} is longer than maxLength ${maxLength} (${length} bytes ${how})`,
    offset,
    maxLength,
    length,
  );
}

/**
 * The lines of a byte stream, without their delimiters: `Uint8Array`s, or
 * strings when `encoding` is given. Reads from `source` only as lines are
 * consumed (backpressure); a final unterminated line throws
 * `UnexpectedEOF`; a line over `maxLength` throws `FrameTooLong`. Lines
 * that arrived in one chunk are views into it (no copy). With `batch: true`
 * it yields arrays: every complete line of one read (never empty), the
 * fastest way to answer many small requests. With `anyNewline: true` a line
 * ends at LF or CRLF, whichever the peer sends (`nc` sends LF).
 *
 * @example
 * ```ts
 * const server: StreamProtocol = async function* (conn) {
 *   for await (const line of lines(conn, { encoding: 'utf8' })) yield `you said: ${line}\r\n`;
 * };
 * const typed: StreamProtocol = async function* (conn) {
 *   for await (const line of lines(conn, { encoding: 'utf8', anyNewline: true })) yield `${line}\r\n`;
 * };
 * const batchedServer: StreamProtocol = async function* (conn) {
 *   for await (const batch of lines(conn, { encoding: 'utf8', batch: true })) {
 *     yield batch.map((line) => `you said: ${line}\r\n`).join('');
 *   }
 * };
 * ```
 */
export function lines(
  source: ByteSource,
  options: LinesOptions & { encoding: BufferEncoding; batch: true },
): AsyncGenerator<string[], void, undefined>;
export function lines(
  source: ByteSource,
  options: LinesOptions & { batch: true },
): AsyncGenerator<Uint8Array[], void, undefined>;
export function lines(
  source: ByteSource,
  options: LinesOptions & { encoding: BufferEncoding; batch?: false },
): AsyncGenerator<string, void, undefined>;
export function lines(
  source: ByteSource,
  options?: LinesOptions & { batch?: false },
): AsyncGenerator<Uint8Array, void, undefined>;
export function lines(
  source: ByteSource,
  options: LinesOptions = {},
): AsyncGenerator<Uint8Array | string | (Uint8Array | string)[], void, undefined> {
  const encoding = options.encoding;
  if (encoding === undefined) return framesOf(source, lineTaker(options), 'line', options.batch);
  return framesOf<string>(source, textLineTaker(options, encoding), 'line', options.batch);
}
