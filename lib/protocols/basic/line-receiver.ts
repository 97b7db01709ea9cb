// Tests: tests/protocols/basic/line-receiver.test.ts
import type { Buffer } from 'node:buffer';
import { ChunkQueue, FrameTooLong, lineLength, TextLines } from '../framing/index.js';
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
 * Lines are `Buffer`s (views into the received chunk when possible), or
 * strings once {@link encoding} is set: decoding straight from the
 * received bytes is the fastest way to a text protocol.
 *
 * @example
 * ```ts
 * class Upper extends LineReceiver {
 *   override lineReceived(line: Uint8Array) {
 *     this.sendLine(Buffer.from(line).toString().toUpperCase());
 *   }
 * }
 * class Shout extends LineReceiver {
 *   override encoding = 'utf8' as const; // lines arrive as strings
 *   override lineReceived(line: string) {
 *     this.sendLine(line.toUpperCase());
 *   }
 * }
 * ```
 */
export class LineReceiver extends PausableProtocol {
  /** The line delimiter (a string means its UTF-8 bytes). Default `'\r\n'`. */
  delimiter: Data = '\r\n';
  /** Longest line accepted, in bytes, delimiter excluded. Default 16384. */
  MAX_LENGTH = 16384;
  /**
   * When set, each line reaches {@link lineReceived} as a string decoded
   * with this encoding (as Node's `socket.setEncoding`); raw mode still
   * delivers bytes. Default `undefined`: lines are `Buffer`s.
   */
  encoding: BufferEncoding | undefined = undefined;

  #queue = new ChunkQueue();
  #delimiter = new DelimiterCache();
  /** With {@link encoding}: the lines of the received chunk, decoded at once (made on first need). */
  #text: TextLines | null = null;
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

  /** The next buffered line, `null` if none is complete, {@link TOO_LONG} past `MAX_LENGTH` (`lineLength`'s rule). */
  #takeLine(): Buffer | string | null | typeof TOO_LONG {
    const queue = this.#queue;
    const delimiter = this.#delimiter.bytes(this.delimiter);
    const encoding = this.encoding;
    if (encoding !== undefined) {
      this.#text ??= new TextLines();
      const line = this.#text.take(queue, delimiter, encoding, this.MAX_LENGTH);
      if (line !== undefined) return line;
    }
    let n: number;
    try {
      n = lineLength(queue, delimiter, this.MAX_LENGTH);
    } catch (error) {
      if (error instanceof FrameTooLong) return TOO_LONG;
      throw error;
    }
    if (n < 0) return null;
    const line = encoding === undefined ? queue.take(n) : queue.takeText(n, encoding);
    queue.skip(delimiter.length);
    return line;
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

  /**
   * Override: called with each line received, without its delimiter: a
   * `Buffer`, or a string when {@link encoding} is set.
   */
  lineReceived(_line: Uint8Array | string): unknown {
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
