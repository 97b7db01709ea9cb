// Tests: tests/protocols/framing/netstrings.test.ts
import { Buffer } from 'node:buffer';
import type { ChunkQueue } from './chunk-queue.js';
import type { ByteSource } from './source-queue.js';
import { type Data, toBytes } from '../transport.js';
import { FrameTooLong, FramingError } from './errors.js';
import { type BatchOption, framesOf } from './frame-stream.js';

/** Options of {@link netstrings}. */
export interface NetstringsOptions extends BatchOption {
  /** Longest payload accepted, in bytes. Default 99999 (Twisted's `MAX_LENGTH`). */
  maxLength?: number;
}

const COLON = 0x3a;
const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Take one netstring's payload off the queue (`null` if incomplete).
 * Throws {@link FramingError} on malformed input (no length, a leading
 * zero, a missing `:` or `,`) and {@link FrameTooLong} as soon as the
 * length, even partly received, exceeds `maxLength`.
 */
export function takeNetstring(queue: ChunkQueue, maxLength: number): Buffer | null {
  const size = queue.size;
  const start = queue.offset;
  let length = 0;
  let i = 0;
  for (; i < size; i++) {
    const b = queue.byteAt(i);
    if (b === COLON && i > 0) break;
    if (b < ZERO || b > NINE) {
      throw new FramingError(
        i === 0
          ? `netstring at byte offset ${start} does not start with a length (byte 0x${hex(b)})`
          : `netstring length at byte offset ${start} is followed by byte 0x${hex(b)} instead of ':' at byte offset ${start + i}`,
        start + i,
      );
    }
    if (i === 1 && length === 0) {
      throw new FramingError(
        `netstring length at byte offset ${start} has a leading zero`,
        start + i,
      );
    }
    length = length * 10 + (b - ZERO);
    if (length > maxLength) {
      throw new FrameTooLong(
        `netstring at byte offset ${start} declares a length over maxLength ${maxLength}`,
        start,
        maxLength,
        length,
      );
    }
  }
  if (i === size) return null;
  const end = i + 1 + length;
  if (size <= end) return null;
  if (queue.byteAt(end) !== COMMA) {
    throw new FramingError(
      `netstring at byte offset ${start} is not terminated by ',' (byte 0x${hex(queue.byteAt(end))} at byte offset ${start + end})`,
      start + end,
    );
  }
  queue.skip(i + 1);
  const payload = queue.take(length);
  queue.skip(1);
  return payload;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/**
 * The payloads of a stream of netstrings (`<length>:<payload>,`, see
 * https://cr.yp.to/proto/netstrings.txt), as Twisted's NetstringReceiver
 * parses them. Malformed input throws `FramingError`, a length over
 * `maxLength` `FrameTooLong`, a stream ending mid-netstring `UnexpectedEOF`.
 * With `batch: true` it yields arrays: every complete payload of one read.
 *
 * @example
 * ```ts
 * for await (const payload of netstrings(conn)) await conn.write(encodeNetstring(payload));
 * ```
 */
export function netstrings(
  source: ByteSource,
  options: NetstringsOptions & { batch: true },
): AsyncGenerator<Uint8Array[], void, undefined>;
export function netstrings(
  source: ByteSource,
  options?: NetstringsOptions & { batch?: false },
): AsyncGenerator<Uint8Array, void, undefined>;
export function netstrings(
  source: ByteSource,
  options: NetstringsOptions = {},
): AsyncGenerator<Uint8Array | Uint8Array[], void, undefined> {
  const maxLength = options.maxLength ?? 99999;
  return framesOf(source, (q) => takeNetstring(q, maxLength), 'netstring', options.batch);
}

/**
 * Encode `data` (a string means its UTF-8 bytes) as a netstring.
 *
 * @example
 * ```ts
 * encodeNetstring('hello'); // the bytes of "5:hello,"
 * ```
 */
export function encodeNetstring(data: Data): Uint8Array {
  const payload = toBytes(data);
  const header = `${payload.length}:`;
  const out = Buffer.allocUnsafe(header.length + payload.length + 1);
  out.write(header, 0, 'latin1');
  payload.copy(out, header.length);
  out[out.length - 1] = COMMA;
  return out;
}
