// Internal: what a stream protocol yields, gathered into one transport write.
// Tests: tests/protocols/stream-connection-batching.test.ts
import type { Data, ITransport } from './transport.js';
import { flushNow, WriteBuffer } from './write-buffer.js';

/**
 * The values a stream protocol yielded and its connection has not yet
 * handed to the transport. They go out together: when the generator waits
 * to read, when the batch reaches its size limit, before any direct write or
 * close, and otherwise at the next turn ({@link flushSoon}).
 */
export class YieldBatch {
  readonly #buffer = new WriteBuffer();
  readonly #transport: ITransport;
  #scheduled = false;

  /** @param transport where the batch goes. */
  constructor(transport: ITransport) {
    this.#transport = transport;
  }

  /** Whether anything waits to go out. */
  get pending(): boolean {
    return !this.#buffer.empty;
  }

  /** The size of what waits (see `sizeOf`). */
  get size(): number {
    return this.#buffer.size;
  }

  /** Add a yielded value. */
  push(value: Data): void {
    this.#buffer.push(value);
  }

  /** Drop what waits (the connection is gone). */
  clear(): void {
    this.#buffer.clear();
  }

  /** Hand what waits to the transport, in one write (or one `writeSequence` of large pieces), sent at once. */
  flush(): void {
    const transport = this.#transport;
    this.#buffer.drainInto(
      (data) => transport.write(data),
      (parts) => transport.writeSequence(parts),
    );
    (transport as { [flushNow]?: () => void })[flushNow]?.();
  }

  /** Flush at the next turn of the event loop, unless it goes out before. */
  flushSoon(): void {
    if (this.#scheduled || this.#buffer.empty) return;
    this.#scheduled = true;
    const due = YieldBatch.#due;
    if (due.length === 0) setImmediate(YieldBatch.#flushDue);
    due.push(this);
  }

  /** Batches with a fallback flush due: one `setImmediate` serves them all. */
  static #due: YieldBatch[] = [];

  static #flushDue(): void {
    const due = YieldBatch.#due;
    YieldBatch.#due = [];
    for (const batch of due) {
      batch.#scheduled = false;
      if (!batch.#buffer.empty) batch.flush();
    }
  }
}
