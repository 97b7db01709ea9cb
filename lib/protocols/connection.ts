// Tests: tests/protocols/connection-conformance.ts (run by tests/testing/connection-pair.test.ts)
import type { Address } from './address.js';
import type { Factory } from './factory.js';
import type { ProtocolClass } from './protocol.js';
import type { Data, StartTLSOptions } from './transport.js';

/** Options of {@link Connection.write}. */
export interface WriteOptions {
  /** Aborting it rejects the write with an `AbortError` (`cause`: the signal's reason). */
  signal?: AbortSignal;
}

/**
 * One end of a byte-stream connection in the stream style: an async iterable
 * of received chunks plus promise-returning writes.
 *
 * - Iteration yields each received chunk, ends on the peer's clean close, and
 *   throws `ConnectionLost` on an unclean one. Reads are pull-based: while
 *   nobody iterates, the transport stops reading once a bounded amount is
 *   buffered. `break` out of a `for await` leaves the write side open.
 * - `write` resolves once the data is accepted below the high-water mark;
 *   after close it rejects with `ConnectionClosedError` (harmless if unawaited).
 *
 * @example
 * ```ts
 * const [a, b] = connectionPair();
 * await a.write('ping');
 * for await (const chunk of b) {
 *   console.log(new TextDecoder().decode(chunk)); // ping
 *   break;
 * }
 * ```
 */
export interface Connection extends AsyncIterable<Uint8Array> {
  /**
   * Send `data`; resolves once accepted below the high-water mark. Aborting
   * `options.signal` rejects with an `AbortError` (an already aborted one
   * before anything is written; later, it stops the wait for backpressure:
   * bytes already handed to the transport are still sent).
   */
  write(data: Data, options?: WriteOptions): Promise<void>;
  /** Half-close: send `data` if given, then EOF after everything buffered. Reading goes on. */
  end(data?: Data): Promise<void>;
  /** Close gracefully: flush what is buffered, then close. */
  close(): Promise<void>;
  /** Close at once, dropping buffered data; `reason` becomes `signal.reason`. */
  abort(reason?: unknown): void;
  /**
   * Aborted once the connection's loss is observed, clean or not;
   * `signal.reason` is a `ConnectionDone` or a `ConnectionLost`.
   */
  readonly signal: AbortSignal;
  /** Resolves (never rejects) once the connection is gone. */
  readonly closed: Promise<void>;
  /** This end's address. */
  readonly localAddress: Address;
  /** The peer's address. */
  readonly remoteAddress: Address;
  /**
   * Switch to TLS; `pending` holds bytes read past the STARTTLS exchange
   * (from `ByteReader.detach()`), fed to TLS first. Resolves after the handshake.
   */
  startTLS(options: StartTLSOptions, pending?: Uint8Array): Promise<void>;
}

/**
 * A protocol in the stream style: a function of a {@link Connection}. An
 * async generator's yielded values are written in order with backpressure;
 * when it returns the connection closes gracefully; when it throws, the
 * error is logged and the connection aborted. An async function's
 * connection closes when its promise settles.
 *
 * @example
 * ```ts
 * const echo: StreamProtocol = async function* (conn) {
 *   for await (const chunk of conn) yield chunk;
 * };
 * ```
 */
export type StreamProtocol = (
  conn: Connection,
) => AsyncIterable<Data> | AsyncGenerator<Data, unknown, undefined> | PromiseLike<unknown>;

/**
 * Anything accepted where a server or client protocol is expected: a
 * {@link Factory} instance, a `Protocol` subclass, or a {@link StreamProtocol}.
 */
export type Handler = Factory | ProtocolClass | StreamProtocol;
