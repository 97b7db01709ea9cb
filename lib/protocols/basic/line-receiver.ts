// Tests: tests/protocols/basic/line-receiver.test.ts
import type { Buffer } from 'node:buffer';
import { ChunkQueue, FrameTooLong, takeUntil } from '../framing/index.js';
import { type Data, toBytes } from '../transport.js';
import { closeOnLongLine, DelimiterCache, isDisconnecting, withDelimiter } from './delimiter.js';
import { notImplemented } from './not-implemented.js';
import { PausableProtocol } from './pausable.js';

/** What {@link LineReceiver}'s line taker returns for a line over `MAX_LENGTH`. */
const TOO_LONG = Symbol('too long');

/**
 * A protocol that receives lines and/or raw data, as Twisted's
 * `LineReceiver`: in line mode each line (without its {@link delimiter})
 * goes to {@link lineReceived}; after {@link setRawMode} each chunk goes to
 * {@link rawDataReceived} until {@link setLineMode}. A line longer than
 * {@link MAX_LENGTH} goes to {@link lineLengthExceeded}, which closes the
 * connection by default. Delivery stops once the transport is
 * disconnecting, and while the protocol is paused ({@link pauseProducing}).
 * Lines are `Uint8Array`s (views into the received chunk when possible).
 *
 * @example
 * ```ts
 * class Upper extends LineReceiver {
 *   override lineReceived(line: Uint8Array) {
 *     this.sendLine(Buffer.from(line).toString().toUpperCase());
 *   }
 * }
 * ```
 */
export class LineReceiver extends PausableProtocol {
  /** The line delimiter (a string means its UTF-8 bytes). Default `'\r\n'`. */
  delimiter: Data = '\r\n';
  /** Longest line accepted, in bytes, delimiter excluded. Default 16384. */
  MAX_LENGTH = 16384;

  #queue = new ChunkQueue();
  #delimiter = new DelimiterCache();
  #lineMode = true;
  #busyReceiving = false;

  /** True in line mode, false in raw mode. */
  get lineMode(): boolean {
    return this.#lineMode;
  }

  /**
   * Split received bytes into lines (or raw chunks, in raw mode) and
   * deliver them. Returns what a hook returned to stop delivery, if
   * anything (as Twisted's `dataReceived` returns `why`).
   */
  override dataReceived(data: Uint8Array): unknown {
    const queue = this.#queue;
    queue.push(data);
    if (this.#busyReceiving) return undefined;
    this.#busyReceiving = true;
    try {
      while (queue.size > 0 && !this.paused) {
        if (!this.#lineMode) {
          const why = this.rawDataReceived(queue.takeAll());
          if (why) return why;
          continue;
        }
        const line = this.#takeLine();
        if (line === null) return undefined;
        if (line === TOO_LONG) return this.lineLengthExceeded(queue.takeAll());
        const why = this.lineReceived(line);
        if (why || isDisconnecting(this.transport)) return why;
      }
      return undefined;
    } finally {
      this.#busyReceiving = false;
    }
  }

  /** The next buffered line, `null` if none is complete, {@link TOO_LONG} past `MAX_LENGTH` (`takeUntil`'s rule). */
  #takeLine(): Buffer | null | typeof TOO_LONG {
    try {
      return takeUntil(this.#queue, this.#delimiter.bytes(this.delimiter), this.MAX_LENGTH);
    } catch (error) {
      if (error instanceof FrameTooLong) return TOO_LONG;
      throw error;
    }
  }

  /**
   * Switch to line mode. From `rawDataReceived`, pass the bytes you did not
   * use as `extra`: they are parsed for lines (do not pass `extra` from
   * `lineReceived`).
   */
  setLineMode(extra?: Data): unknown {
    this.#lineMode = true;
    if (extra !== undefined && extra.length > 0) return this.dataReceived(toBytes(extra));
    return undefined;
  }

  /** Switch to raw mode: further data goes to {@link rawDataReceived}. */
  setRawMode(): void {
    this.#lineMode = false;
  }

  /** Remove and return everything buffered (callable from within the hooks). */
  clearLineBuffer(): Buffer {
    return this.#queue.takeAll();
  }

  /** Override: called with each raw chunk in raw mode. */
  rawDataReceived(_data: Uint8Array): unknown {
    throw notImplemented(this, 'rawDataReceived');
  }

  /** Override: called with each line received, without its delimiter. */
  lineReceived(_line: Uint8Array): unknown {
    throw notImplemented(this, 'lineReceived');
  }

  /** Send `line` (a string means its UTF-8 bytes) followed by the delimiter, in one write. */
  sendLine(line: Data): void {
    this.transport?.write(
      withDelimiter(line, this.delimiter, this.#delimiter.bytes(this.delimiter)),
    );
  }

  /**
   * Called with the rest of the buffer (starting with the over-long line)
   * when a line exceeds {@link MAX_LENGTH}. Closes the connection by default.
   */
  lineLengthExceeded(line: Uint8Array): unknown {
    return closeOnLongLine(this.transport, this.MAX_LENGTH, line);
  }
}
