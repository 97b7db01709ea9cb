// Internal: the duplex a STARTTLS reads through when bytes were already read
// past the STARTTLS exchange: those bytes first, then the socket's own data.
// Tests: tests/transports/tls.test.ts
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/**
 * A duplex over a socket that first yields `pending` (bytes already read),
 * then the socket's own data: what TLS reads when `startTLS` got leftovers.
 * Writes, the end and destruction go to the socket.
 */
export class PrefixedDuplex extends Duplex {
  readonly #socket: Socket;

  /** A duplex over `socket` that yields `pending` (when not empty) before the socket's data. */
  constructor(socket: Socket, pending: Uint8Array | undefined) {
    super({ allowHalfOpen: true });
    this.#socket = socket;
    if (pending !== undefined && pending.length > 0) this.push(pending);
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  /** Asked for more: let the socket flow again. */
  override _read(): void {
    this.#socket.resume();
  }

  /** Write `chunk` to the socket. */
  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.#socket.write(chunk, callback);
  }

  /** End the socket's write side. */
  override _final(callback: (error?: Error | null) => void): void {
    this.#socket.end(callback);
  }

  /** Destroy the socket with this duplex. */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#socket.destroy(error ?? undefined);
    callback(error);
  }
}
