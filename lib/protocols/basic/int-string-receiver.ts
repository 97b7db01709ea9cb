// Tests: tests/protocols/basic/int-string-receiver.test.ts
import type { Buffer } from 'node:buffer';
import {
  ChunkQueue,
  encodeLengthPrefixed,
  FrameTooLong,
  type PrefixBytes,
  peekLength,
} from '../framing/index.js';
import { type Data, toBytes } from '../transport.js';
import { notImplemented } from './not-implemented.js';
import { PausableProtocol } from './pausable.js';
import { logClientMistake } from '../client-mistake.js';

/**
 * The base of length-prefixed protocols, as Twisted's `IntNStringReceiver`:
 * each string is preceded by its length as a big-endian unsigned integer of
 * {@link prefixLength} bytes. Received strings go to
 * {@link stringReceived}; a length over {@link MAX_LENGTH} goes to
 * {@link lengthLimitExceeded} (which closes the connection by default).
 * Use {@link Int8StringReceiver}, {@link Int16StringReceiver} or
 * {@link Int32StringReceiver}.
 */
export class IntNStringReceiver extends PausableProtocol {
  /** Longest string accepted, in bytes. Default 99999. */
  MAX_LENGTH = 99999;
  /** Size of the length prefix in bytes. */
  readonly prefixLength: PrefixBytes = 4;

  #queue = new ChunkQueue();

  /** Python's struct format of the prefix (`'!B'`, `'!H'` or `'!I'`), for reference. */
  get structFormat(): string {
    return { 1: '!B', 2: '!H', 4: '!I' }[this.prefixLength];
  }

  /**
   * The bytes received but not yet delivered (after the current string,
   * when read from {@link stringReceived}). Assigning it replaces them:
   * parsing continues from the new value (Twisted's `recvd`).
   */
  get recvd(): Buffer {
    return this.#queue.peek(this.#queue.size);
  }

  set recvd(data: Data) {
    this.#queue.replace(toBytes(data));
  }

  /** Parse received bytes and deliver each complete string (unless paused). */
  override dataReceived(data: Uint8Array): void {
    const queue = this.#queue;
    queue.push(data);
    const prefix = this.prefixLength;
    while (queue.size >= prefix && !this.paused) {
      const length = peekLength(queue, prefix);
      if (length > this.MAX_LENGTH) {
        this.lengthLimitExceeded(length);
        return;
      }
      if (queue.size < prefix + length) return;
      queue.skip(prefix);
      this.stringReceived(queue.take(length));
    }
  }

  /** Override: called with each complete string received (prefix removed). */
  stringReceived(_data: Uint8Array): void {
    throw notImplemented(this, 'stringReceived');
  }

  /**
   * Called with a received length prefix over {@link MAX_LENGTH}; the bytes
   * are still in {@link recvd}. Closes the connection by default.
   */
  lengthLimitExceeded(length: number): void {
    logClientMistake(
      this.transport?.getPeer(),
      new FrameTooLong(
        `length prefix ${length} over MAX_LENGTH (${this.MAX_LENGTH})`,
        0,
        this.MAX_LENGTH,
        length,
      ),
    );
    this.transport?.loseConnection();
  }

  /**
   * Send `data` (a string means its UTF-8 bytes) with its length prefix, in
   * one write; throws `StringTooLongError` if it does not fit the prefix.
   */
  sendString(data: Data): void {
    const frame = encodeLengthPrefixed(data, this.prefixLength);
    this.transport?.write(frame);
  }
}

/**
 * Strings prefixed by a 1-byte length, as Twisted's `Int8StringReceiver`.
 *
 * @example
 * ```ts
 * class Echo extends Int8StringReceiver {
 *   override stringReceived(s: Uint8Array) { this.sendString(s); }
 * }
 * ```
 */
export class Int8StringReceiver extends IntNStringReceiver {
  override readonly prefixLength: PrefixBytes = 1;
}

/** Strings prefixed by a 2-byte big-endian length, as Twisted's `Int16StringReceiver`. */
export class Int16StringReceiver extends IntNStringReceiver {
  override readonly prefixLength: PrefixBytes = 2;
}

/**
 * Strings prefixed by a 4-byte big-endian length, as Twisted's
 * `Int32StringReceiver`.
 *
 * @example
 * ```ts
 * class Rpc extends Int32StringReceiver {
 *   override stringReceived(s: Uint8Array) { this.sendString(handle(s)); }
 * }
 * ```
 */
export class Int32StringReceiver extends IntNStringReceiver {
  override readonly prefixLength: PrefixBytes = 4;
}
