// Tests: tests/protocols/stream-connection.test.ts, tests/testing/connection-pair.test.ts
import { Buffer } from 'node:buffer';
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import type { Address } from './address.js';

/** Bytes to send: a string means its UTF-8 bytes. */
export type Data = Uint8Array | string;

/** Something that can be told to stop producing, as Twisted's `IProducer`. */
export interface IProducer {
  /** Stop producing for good (the consumer is going away). */
  stopProducing(): void;
}

/**
 * A producer that writes whenever it can until paused, as Twisted's
 * `IPushProducer`. On a transport these methods pause and resume *reading*.
 */
export interface IPushProducer extends IProducer {
  /** Stop producing until {@link resumeProducing} is called. */
  pauseProducing(): void;
  /** Resume producing after {@link pauseProducing}. */
  resumeProducing(): void;
}

/**
 * A producer that writes one chunk each time it is asked, as Twisted's
 * `IPullProducer`.
 */
export interface IPullProducer extends IProducer {
  /** Produce (write to the consumer) one more chunk. */
  resumeProducing(): void;
}

/** Something data is written into, with flow control, as Twisted's `IConsumer`. */
export interface IConsumer {
  /**
   * Register a producer. With `streaming` true it is an {@link IPushProducer}
   * that the consumer pauses when its buffer fills and resumes when it drains;
   * with `false` it is an {@link IPullProducer} asked for data whenever the
   * consumer has room. Registering a second producer throws.
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void;
  /** Forget the registered producer. */
  unregisterProducer(): void;
  /** Accept `data` (a string means its UTF-8 bytes). */
  write(data: Data): void;
}

/**
 * A bidirectional byte stream seen from a protocol, as Twisted's
 * `ITransport`. Writes never block: they are buffered, and a registered
 * streaming producer is paused while the buffer is above its high-water mark.
 * The transport's own producer methods pause and resume *reading*.
 *
 * A transport that supports half-close offers `loseWriteConnection()`; when
 * the peer half-closes it calls its protocol's `readConnectionLost()` if the
 * protocol has one ({@link IHalfCloseableProtocol}), and otherwise closes the
 * whole connection with `ConnectionDone`.
 */
export interface ITransport extends IConsumer, IPushProducer {
  /** Send `data` after what was written before. Ignored once closing. */
  write(data: Data): void;
  /** Send each chunk of `data` in order (one underlying write when possible). */
  writeSequence(data: Iterable<Data>): void;
  /**
   * Close after the buffered data is sent; the protocol then gets
   * `connectionLost` with `ConnectionDone`.
   */
  loseConnection(): void;
  /** Close at once, dropping buffered data; `connectionLost` gets `ConnectionLost`. */
  abortConnection(): void;
  /** Half-close: send EOF after the buffered data, keep reading (optional). */
  loseWriteConnection?(): void;
  /** The remote address. */
  getPeer(): Address;
  /** The local address. */
  getHost(): Address;
}

/**
 * A protocol that wants to hear about half-closes, as Twisted's
 * `IHalfCloseableProtocol`.
 */
export interface IHalfCloseableProtocol {
  /** The peer sent EOF: no more data will arrive, but writing may continue. */
  readConnectionLost(): void;
  /** Our write side was closed by `loseWriteConnection()`. */
  writeConnectionLost?(): void;
}

/**
 * Options for {@link ITLSTransport.startTLS}: Node's `tls` options, plus
 * `isServer` (default: the side that accepted the connection is the server).
 */
export type StartTLSOptions = ConnectionOptions & TlsOptions & { isServer?: boolean };

/** A transport that can switch to TLS mid-connection, as Twisted's `ITLSTransport`. */
export interface ITLSTransport extends ITransport {
  /**
   * Start TLS on this connection. `pending` holds bytes already read past the
   * STARTTLS exchange, fed to TLS first. Resolves after the handshake; rejects
   * with a `TLSError` when it fails.
   */
  startTLS(options: StartTLSOptions, pending?: Uint8Array): Promise<void>;
}

/** True when `transport` implements {@link ITLSTransport}. */
export function isTLSTransport(transport: ITransport): transport is ITLSTransport {
  return typeof (transport as Partial<ITLSTransport>).startTLS === 'function';
}

/**
 * `data` as a `Buffer`: a string becomes its UTF-8 encoding; bytes are viewed
 * as they are, without a copy. The one conversion behind everything that
 * takes {@link Data}.
 */
export function toBytes(data: Data): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Buffer.isBuffer(data)) return data;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
