// Internal: a stream connection's read side, the chunks received and not yet
// read and the readers waiting for the next one.
// Tests: tests/protocols/stream-connection.test.ts, tests/protocols/connection-conformance.ts
import { Buffer } from 'node:buffer';
import { ConnectionDone } from './errors.js';
import type { ChunkSink } from './framing/direct-read.js';

/**
 * Chunks received and not yet read, in order, and the readers waiting for
 * one. Its arrays are made on first need (idle connections are many).
 */
export class ReadBuffer {
  #chunks: Uint8Array[] | null = null;
  #buffered = 0;
  #waiters: ChunkSink[] | null = null;
  #end: Error | null = null;

  /** Bytes received and not yet read. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Set once no more data will arrive: a `ConnectionDone` (clean) or the loss error. */
  get end(): Error | null {
    return this.#end;
  }

  /** Hand `data` to the first waiting reader, else keep it. Returns the bytes now kept. */
  push(data: Uint8Array): number {
    const waiter = this.#waiters?.shift();
    if (waiter) {
      waiter.chunk(data);
      return this.#buffered;
    }
    if (this.#chunks === null) this.#chunks = [];
    this.#chunks.push(data);
    this.#buffered += data.byteLength;
    return this.#buffered;
  }

  /** The oldest chunk kept, or `undefined` when none is. */
  shift(): Uint8Array | undefined {
    const chunk = this.#chunks?.shift();
    if (chunk !== undefined) this.#buffered -= chunk.byteLength;
    return chunk;
  }

  /** Queue `sink` for the next chunk. */
  wait(sink: ChunkSink): void {
    if (this.#waiters === null) this.#waiters = [];
    this.#waiters.push(sink);
  }

  /** No more data will arrive (`error`: see {@link end}); waiting readers learn it now. */
  finish(error: Error): void {
    this.#end = error;
    const waiters = this.#waiters;
    if (waiters === null || waiters.length === 0) return;
    this.#waiters = null;
    const outcome = error instanceof ConnectionDone ? null : error;
    for (const w of waiters) w.end(outcome);
  }

  /** Everything kept, after `pending`, as one piece (nothing is kept after). */
  takeAll(pending: Uint8Array | undefined): Uint8Array | undefined {
    const chunks = this.#chunks;
    if (chunks === null || chunks.length === 0) return pending;
    const parts = pending ? [pending, ...chunks] : chunks;
    this.#chunks = null;
    this.#buffered = 0;
    return Buffer.concat(parts);
  }
}
