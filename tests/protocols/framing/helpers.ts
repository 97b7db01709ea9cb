// Shared by the framing tests: feed bytes to a framing in chosen chunk sizes.
import { Buffer } from 'node:buffer';

/** `data` cut into chunks of `size` bytes (the last one may be shorter). */
export function chunked(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

/** `data` cut at the given (sorted, deduplicated) positions. */
export function cutAt(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, data.length]) {
    out.push(data.subarray(prev, p));
    prev = p;
  }
  return out;
}

/** An async iterable over `chunks` that records how many were pulled and whether it was closed. */
export function source(chunks: (Uint8Array | string)[]) {
  const state = { pulled: 0, returned: false };
  const iterable: AsyncIterable<Uint8Array | string> = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        async next() {
          if (i >= chunks.length) return { done: true, value: undefined };
          state.pulled++;
          return { done: false, value: chunks[i++]! };
        },
        async return() {
          state.returned = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, state };
}

export { collect } from '../../helpers.js';

/** Bytes of a string (UTF-8) as a Buffer, for comparisons. */
export const b = (s: string) => Buffer.from(s, 'utf8');

/** Every result as a latin1 string, for readable assertions. */
export const strs = (xs: Uint8Array[]) => xs.map((x) => Buffer.from(x).toString('latin1'));
