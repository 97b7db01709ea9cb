// Internal: the rule for taking one line off a queue, shared by the line framings.
// Tests: tests/protocols/framing/lines.test.ts, tests/protocols/basic/line-receiver.test.ts
import type { Buffer } from 'node:buffer';
import type { ChunkQueue } from './chunk-queue.js';
import { FrameTooLong } from './errors.js';

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
export function takeTextUntil(
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

/** The error for a line over `maxLength`, starting at stream `offset`. */
export function tooLong(
  offset: number,
  maxLength: number,
  length: number,
  how: string,
): FrameTooLong {
  return new FrameTooLong(
    `line starting at byte offset ${offset} is longer than maxLength ${maxLength} (${length} bytes ${how})`,
    offset,
    maxLength,
    length,
  );
}
