// Tests: tests/protocols/basic/netstring-receiver.test.ts
import { ChunkQueue, encodeNetstring, FramingError, takeNetstring } from '../framing/index.js';
import type { Data, ITransport } from '../transport.js';
import { Protocol } from '../protocol.js';
import { notImplemented } from './not-implemented.js';
import { logClientMistake } from '../client-mistake.js';

/**
 * A protocol that sends and receives netstrings
 * (https://cr.yp.to/proto/netstrings.txt), as Twisted's
 * `NetstringReceiver`: each payload received goes to
 * {@link stringReceived}. Malformed input, or a length over
 * {@link MAX_LENGTH}, closes the connection and sets {@link brokenPeer};
 * nothing more is parsed after that.
 *
 * @example
 * ```ts
 * class Echo extends NetstringReceiver {
 *   override stringReceived(s: Uint8Array) { this.sendString(s); }
 * }
 * ```
 */
export class NetstringReceiver extends Protocol {
  /** Longest payload accepted, in bytes. Default 99999. */
  MAX_LENGTH = 99999;
  /** True once the peer sent malformed input (the connection is then being closed). */
  brokenPeer = false;

  #queue = new ChunkQueue();

  /** Attach to `transport` with a fresh parser state, then `connectionMade()`. */
  override makeConnection(transport: ITransport): void {
    this.#queue = new ChunkQueue();
    this.brokenPeer = false;
    super.makeConnection(transport);
  }

  /** Send `data` (a string means its UTF-8 bytes) as one netstring. */
  sendString(data: Data): void {
    this.transport?.write(encodeNetstring(data));
  }

  /** Parse received bytes and deliver each complete netstring's payload. */
  override dataReceived(data: Uint8Array): void {
    if (this.brokenPeer) return;
    const queue = this.#queue;
    queue.push(data);
    while (queue.size > 0) {
      let payload: Uint8Array | null;
      try {
        payload = takeNetstring(queue, this.MAX_LENGTH);
      } catch (e) {
        if (!(e instanceof FramingError)) throw e;
        logClientMistake(this.transport?.getPeer(), e);
        this.#handleParseError();
        return;
      }
      if (payload === null) return;
      this.stringReceived(payload);
    }
  }

  #handleParseError(): void {
    this.brokenPeer = true;
    this.transport?.loseConnection();
  }

  /** Override: called with each complete payload received. */
  stringReceived(_data: Uint8Array): void {
    throw notImplemented(this, 'stringReceived');
  }
}
