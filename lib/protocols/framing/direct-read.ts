// Internal: reading chunks from a source without a promise per read.
// Tests: tests/protocols/framing/frame-stream.test.ts (lines() over a StreamConnection)

/**
 * The method of a chunk iterator that reads without promises: a
 * {@link StreamConnection}'s iterator has it, and {@link ChunkQueue} uses it
 * when present, so that framings over a connection take a chunk the moment
 * it arrives.
 */
export const readDirect: unique symbol = Symbol('woven.readDirect');

/** Receives the outcome of a direct read that had to wait: exactly one call. */
export interface ChunkSink {
  /** A chunk arrived. */
  chunk(data: Uint8Array): void;
  /** The source ended: cleanly when `error` is `null`, else with `error`. */
  end(error: Error | null): void;
}

/** An iterator of chunks that can also be read without promises. */
export interface DirectChunkReader {
  /**
   * A buffered chunk if there is one, `null` at a clean end; throws at an
   * unclean end. Otherwise `undefined`, and `sink` is called later, once.
   */
  [readDirect](sink: ChunkSink): Uint8Array | null | undefined;
}

/** Whether `it` offers {@link readDirect}. */
export function isDirectChunkReader(it: unknown): it is DirectChunkReader {
  return typeof (it as Partial<DirectChunkReader>)[readDirect] === 'function';
}
