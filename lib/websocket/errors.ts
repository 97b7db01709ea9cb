// Tests: tests/websocket/duplex.test.ts
import { setErrorName, WovenError } from '../failure/index.js';

/**
 * Why `webSocketServer` aborted a connection that did not complete its
 * upgrade handshake within `handshakeTimeout` seconds: the `cause` of the
 * connection's `ConnectionAborted` (its `signal.reason`).
 *
 * @example
 * ```ts
 * conn.signal.reason.cause instanceof HandshakeTimeoutError; // on the server's side
 * ```
 */
export class HandshakeTimeoutError extends WovenError {
  /** The timeout, in seconds. */
  readonly seconds: number;

  constructor(seconds: number) {
    super(`no WebSocket upgrade within ${seconds} seconds`);
    this.seconds = seconds;
  }

  static {
    setErrorName(this, 'HandshakeTimeoutError', 'ERR_WEBSOCKET_HANDSHAKE_TIMEOUT');
  }
}
