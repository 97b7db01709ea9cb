// Tests: tests/protocols/framing/lines.test.ts
import type { Buffer } from 'node:buffer';
import type { ChunkQueue } from './chunk-queue.js';
import type { ByteSource } from './source-queue.js';
import { type Data, toBytes } from '../transport.js';
import { type BatchOption, batched, frameStream, framesOf } from './frame-stream.js';
import { takeTextUntil, takeUntil, tooLong } from './line-rule.js';
import { TextLines } from './text-lines.js';

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
  const text = new TextLines();
  return (q) =>
    text.take(q, delimiter, encoding, maxLength) ??
    takeTextUntil(q, delimiter, maxLength, encoding);
}

/** For `batch`: every line of the first chunk's decoded region at once, when that is safe. */
function textRegionTaker(
  options: LinesOptions,
  encoding: BufferEncoding,
): ((queue: ChunkQueue) => string[] | undefined) | undefined {
  if (options.anyNewline) return undefined;
  const maxLength = options.maxLength ?? 16384;
  const delimiter = toDelimiter(options.delimiter ?? '\r\n');
  const text = new TextLines();
  return (q) => text.takeRegion(q, delimiter, encoding, maxLength);
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
  const take = textLineTaker(options, encoding);
  if (!options.batch) return frameStream(source, take, 'line');
  return frameStream(source, batched(take, textRegionTaker(options, encoding)), 'line');
}
