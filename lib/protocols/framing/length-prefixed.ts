// Tests: tests/protocols/framing/length-prefixed.test.ts
import { Buffer } from 'node:buffer';
import type { ChunkQueue } from './chunk-queue.js';
import type { ByteSource } from './source-queue.js';
import { type Data, toBytes } from '../transport.js';
import { FrameTooLong, StringTooLongError } from './errors.js';
import { type BatchOption, framesOf } from './frame-stream.js';

/** Size of a length prefix in bytes: 1, 2 or 4 (Int8/16/32StringReceiver). */
export type PrefixBytes = 1 | 2 | 4;

/** Options of {@link lengthPrefixed}. */
export interface LengthPrefixedOptions extends BatchOption {
  /** Size of the big-endian unsigned length prefix. Default 4. */
  prefixBytes?: PrefixBytes;
  /** Longest payload accepted, in bytes. Default 99999 (Twisted's `MAX_LENGTH`). */
  maxLength?: number;
}

/** Throw a `RangeError` unless `n` is 1, 2 or 4. */
export function checkPrefixBytes(n: number): PrefixBytes {
  if (n !== 1 && n !== 2 && n !== 4)
    throw new RangeError(`prefixBytes must be 1, 2 or 4, not ${n}`);
  return n;
}

/** The length prefix at the front of the queue (`queue.size >= prefixBytes`), not consumed. */
export function peekLength(queue: ChunkQueue, prefixBytes: PrefixBytes): number {
  return queue.peek(prefixBytes).readUIntBE(0, prefixBytes);
}

/**
 * Take one length-prefixed payload off the queue (`null` if incomplete);
 * throws {@link FrameTooLong} as soon as a prefix over `maxLength` is seen.
 */
export function takeLengthPrefixed(
  queue: ChunkQueue,
  prefixBytes: PrefixBytes,
  maxLength: number,
): Buffer | null {
  if (queue.size < prefixBytes) return null;
  const length = peekLength(queue, prefixBytes);
  if (length > maxLength) {
    throw new FrameTooLong(
      `length prefix at byte offset ${queue.offset} declares ${length} bytes, over maxLength ${maxLength}`,
      queue.offset,
      maxLength,
      length,
    );
  }
  if (queue.size < prefixBytes + length) return null;
  queue.skip(prefixBytes);
  return queue.take(length);
}

/**
 * The payloads of a stream of length-prefixed frames: a big-endian
 * unsigned length of `prefixBytes` bytes, then that many bytes (as
 * Twisted's Int8/Int16/Int32StringReceiver). A length over `maxLength`
 * throws `FrameTooLong`; a stream ending mid-frame `UnexpectedEOF`. With
 * `batch: true` it yields arrays: every complete payload of one read.
 *
 * @example
 * ```ts
 * for await (const msg of lengthPrefixed(conn, { prefixBytes: 2 })) {
 *   await conn.write(encodeLengthPrefixed(msg, 2));
 * }
 * ```
 */
export function lengthPrefixed(
  source: ByteSource,
  options: LengthPrefixedOptions & { batch: true },
): AsyncGenerator<Uint8Array[], void, undefined>;
export function lengthPrefixed(
  source: ByteSource,
  options?: LengthPrefixedOptions & { batch?: false },
): AsyncGenerator<Uint8Array, void, undefined>;
export function lengthPrefixed(
  source: ByteSource,
  options: LengthPrefixedOptions = {},
): AsyncGenerator<Uint8Array | Uint8Array[], void, undefined> {
  const prefixBytes = checkPrefixBytes(options.prefixBytes ?? 4);
  const maxLength = options.maxLength ?? 99999;
  const parse = (q: ChunkQueue) => takeLengthPrefixed(q, prefixBytes, maxLength);
  return framesOf(source, parse, 'frame', options.batch);
}

/**
 * Prefix `data` (a string means its UTF-8 bytes) with its length as a
 * big-endian unsigned integer of `prefixBytes` bytes. Data too long for the
 * prefix throws `StringTooLongError`.
 *
 * @example
 * ```ts
 * encodeLengthPrefixed('foo', 2); // 00 03 66 6f 6f
 * ```
 */
export function encodeLengthPrefixed(data: Data, prefixBytes: PrefixBytes = 4): Uint8Array {
  checkPrefixBytes(prefixBytes);
  const payload = toBytes(data);
  const limit = 2 ** (8 * prefixBytes);
  if (payload.length >= limit) {
    throw new StringTooLongError(
      `cannot send ${payload.length} bytes with a ${prefixBytes}-byte length prefix (maximum ${limit - 1})`,
    );
  }
  const out = Buffer.allocUnsafe(prefixBytes + payload.length);
  out.writeUIntBE(payload.length, 0, prefixBytes);
  payload.copy(out, prefixBytes);
  return out;
}
