// Internal: what a stream protocol yields, gathered into one transport write.
// Tests: tests/protocols/stream-connection-batching.test.ts, tests/transports/write-batching.test.ts
import type { Data, ITransport } from './transport.js';
import { DueAtNextTurn } from './turn.js';
import { batchWrites, COPY_BELOW, WriteBuffer } from './write-buffer.js';

/**
 * The values a stream protocol yielded and its connection has not yet
 * handed to the transport. They go out together: when the generator waits
 * to read, when the batch reaches its size limit, before any direct write or
 * close, and otherwise at the next turn ({@link flushSoon}).
 *
 * A small batch (under `COPY_BELOW` bytes: replies, messages) is handed to
 * the transport like any write, and the transport sends it with the other
 * writes of this turn, in one pass for every connection once the turn's
 * input is handled (as Twisted writes once per reactor iteration). Under
 * request-and-reply load that costs less per request than sending each
 * reply the moment it is ready. A large batch (bulk data) is sent at once,
 * through the transport's `batchWrites`, so a bulk stream keeps moving.
 */
export class YieldBatch {
  readonly #buffer = new WriteBuffer();
  /** Hands what waits to the transport, to go out with this turn's writes. */
  readonly #hand: () => void;
  /** Hands what waits to the transport, to be sent at once: made once per batch rather than once per flush. */
  readonly #send: () => void;
  #scheduled = false;

  /** @param transport where the batch goes. */
  constructor(transport: ITransport) {
    const write = (data: Data) => transport.write(data);
    const writeSequence = (parts: Data[]) => transport.writeSequence(parts);
    const drain = () => {
      this.#buffer.drainInto(write, writeSequence);
    };
    const batched = (transport as { [batchWrites]?: (writes: () => void) => void })[batchWrites];
    this.#hand = drain;
    this.#send = batched === undefined ? drain : () => batched.call(transport, drain);
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

  /**
   * Hand what waits (if anything) to the transport, in one write (or one
   * `writeSequence` of large pieces): sent at once when large, else with
   * this turn's other writes.
   */
  flush(): void {
    const size = this.#buffer.size;
    if (size >= COPY_BELOW) this.#send();
    else if (size > 0) this.#hand();
  }

  /** Flush at the next turn of the event loop, unless it goes out before. */
  flushSoon(): void {
    if (this.#scheduled || this.#buffer.empty) return;
    this.#scheduled = true;
    YieldBatch.#due.add(this);
  }

  /** Batches with a fallback flush due. */
  static readonly #due = new DueAtNextTurn<YieldBatch>((batch) => {
    batch.#scheduled = false;
    batch.flush();
  });
}
