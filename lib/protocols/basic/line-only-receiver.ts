// Tests: tests/protocols/basic/line-only-receiver.test.ts
import { ChunkQueue } from '../framing/index.js';
import type { Data } from '../transport.js';
import { Protocol } from '../protocol.js';
import { closeOnLongLine, DelimiterCache, isDisconnecting, withDelimiter } from './delimiter.js';
import { notImplemented } from './not-implemented.js';

/**
 * A protocol that receives only lines, as Twisted's `LineOnlyReceiver`:
 * {@link LineReceiver} without raw mode or pausing. Lines longer than
 * {@link MAX_LENGTH} go to {@link lineLengthExceeded} (which closes the
 * connection by default); delivery stops once the transport is
 * disconnecting. Its length rule is Twisted's `LineOnlyReceiver`'s, not
 * `LineReceiver`'s: the over-long line alone goes to the hook, and an
 * unterminated buffer is too long as soon as it exceeds `MAX_LENGTH`.
 *
 * @example
 * ```ts
 * class Log extends LineOnlyReceiver {
 *   override delimiter = '\n';
 *   override lineReceived(line: Uint8Array) { console.log(Buffer.from(line).toString()); }
 * }
 * ```
 */
export class LineOnlyReceiver extends Protocol {
  /** The line delimiter (a string means its UTF-8 bytes). Default `'\r\n'`. */
  delimiter: Data = '\r\n';
  /** Longest line accepted, in bytes, delimiter excluded. Default 16384. */
  MAX_LENGTH = 16384;

  #queue = new ChunkQueue();
  #delimiter = new DelimiterCache();

  /** Split received bytes into lines and deliver them to {@link lineReceived}. */
  override dataReceived(data: Uint8Array): unknown {
    const queue = this.#queue;
    queue.push(data);
    const delimiter = this.#delimiter.bytes(this.delimiter);
    for (let i = queue.find(delimiter); i >= 0; i = queue.find(delimiter)) {
      if (isDisconnecting(this.transport)) return undefined;
      const line = queue.take(i);
      queue.skip(delimiter.length);
      if (line.length > this.MAX_LENGTH) return this.lineLengthExceeded(line);
      this.lineReceived(line);
    }
    if (queue.size > this.MAX_LENGTH) return this.lineLengthExceeded(queue.takeAll());
    return undefined;
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

  /** Called with an over-long line (or unterminated buffer). Closes the connection by default. */
  lineLengthExceeded(line: Uint8Array): unknown {
    return closeOnLongLine(this.transport, this.MAX_LENGTH, line);
  }
}
