// Internal: turn a synchronous frame parser into an async generator of frames.
// Tests: tests/protocols/framing/*.test.ts (through lines, netstrings, lengthPrefixed)
import { type ByteSource, ChunkQueue } from './chunk-queue.js';

/**
 * Parse a frame off the front of the queue: the frame, or `null` when more
 * bytes are needed. Throws a `FramingError` on bad input.
 */
export type FrameParser<T> = (queue: ChunkQueue) => T | null;

/**
 * Yield every frame `parse` finds in `source`, pulling a chunk only when the
 * buffered bytes hold no complete frame, and yielding all the frames of one
 * chunk in a row with no wait in between. A source ending on a frame
 * boundary ends the generator; ending inside a `what` throws `UnexpectedEOF`.
 * Leaving early (break, or a framing error) closes the source's iterator.
 */
export async function* frameStream<T>(
  source: ByteSource,
  parse: FrameParser<T>,
  what: string,
): AsyncGenerator<T, void, undefined> {
  const queue = new ChunkQueue(source);
  try {
    for (;;) {
      let frame = parse(queue);
      while (frame !== null) {
        yield frame;
        frame = parse(queue);
      }
      if (!(await queue.pull())) {
        if (queue.size === 0) return;
        throw queue.unexpectedEOF(what);
      }
    }
  } finally {
    await queue.close();
  }
}
