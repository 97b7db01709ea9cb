// Tests: tests/websocket/duplex.test.ts
import { setErrorName, WovenError } from '../failure/index.js';

/**
 * A WebSocket opening handshake took longer than `handshakeTimeout`
 * seconds. `connectWebSocket` rejects with it; `webSocketServer` aborts
 * the connection with it (the `cause` of the connection's
 * `ConnectionAborted`, its `signal.reason`).
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
    super(`no WebSocket handshake within ${seconds} seconds`);
    this.seconds = seconds;
  }

  static {
    setErrorName(this, 'HandshakeTimeoutError', 'ERR_WEBSOCKET_HANDSHAKE_TIMEOUT');
  }
}
