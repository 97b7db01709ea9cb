// Internal: what a transport or connection gathers of one turn's writes.
// Tests: tests/protocols/stream-connection-batching.test.ts, tests/transports/backpressure.test.ts
import { Buffer } from 'node:buffer';
import type { Data } from './transport.js';

/**
 * Pieces smaller than this in total are copied into one buffer: one plain
 * write costs less than a vectored write (`writev`) of many small pieces
 * (lines, messages); larger ones go out as they are.
 */
export const COPY_BELOW = 16384;

/**
 * The method of a transport that buffers writes (until the end of the turn):
 * `transport[batchWrites](writes)` runs `writes` (calls of `write` and
 * `writeSequence`) and hands what they wrote to the system when it returns,
 * without scheduling a flush for later. A writer that has already gathered
 * a large batch (a stream connection's, of bulk data) uses it, so it leaves
 * at once rather than at the end of the turn.
 */
export const batchWrites: unique symbol = Symbol('woven.batchWrites');

/** The size of `data` for buffering purposes (a string counts its UTF-16 units). */
export function sizeOf(data: Data): number {
  return typeof data === 'string' ? data.length : data.byteLength;
}

/**
 * `parts` as one piece to write: one string when all are strings, else one
 * buffer of their bytes (strings as UTF-8). `size` is their total
 * {@link sizeOf}.
 */
export function joinData(parts: readonly Data[], size: number): Data {
  let strings = 0;
  for (const part of parts) if (typeof part === 'string') strings++;
  if (strings === parts.length) return parts.join('');
  if (strings === 0) return Buffer.concat(parts as Uint8Array[], size);
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
}

/**
 * Writes gathered in order, to be handed on in as few pieces as pays:
 * {@link take} returns one joined piece for small totals, the pieces
 * themselves for large ones.
 */
export class WriteBuffer {
  #parts: Data[] = [];
  #size = 0;

  /** The total {@link sizeOf} of what is buffered. */
  get size(): number {
    return this.#size;
  }

  /** True when nothing is buffered. */
  get empty(): boolean {
    return this.#parts.length === 0;
  }

  /** Add `data` after what is buffered (empty data is dropped). */
  push(data: Data): void {
    const n = sizeOf(data);
    if (n === 0) return;
    this.#parts.push(data);
    this.#size += n;
  }

  /** Drop everything buffered. */
  clear(): void {
    this.#parts = [];
    this.#size = 0;
  }

  /**
   * Empty the buffer into `write` (a single piece, as it was given) or
   * `writev` (several pieces: joined into one for a small total, else as
   * they are). Returns the size handed on.
   */
  drainInto(write: (data: Data) => void, writev: (parts: Data[]) => void): number {
    const parts = this.#parts;
    const size = this.#size;
    this.#size = 0;
    if (parts.length === 0) return 0;
    if (parts.length === 1) {
      write(parts.pop()!); // the array is kept for the next writes
      return size;
    }
    this.#parts = [];
    if (size < COPY_BELOW) writev([joinData(parts, size)]);
    else writev(parts);
    return size;
  }
}
