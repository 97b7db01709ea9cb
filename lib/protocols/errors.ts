// Tests: tests/protocols/stream-connection.test.ts, tests/architecture/exports.test.ts
import { setErrorName, WovenError } from '../failure/index.js';

/** The base of {@link ConnectionDone} and {@link ConnectionLost}, as Twisted's `ConnectionClosed`. */
export class ConnectionClosed extends WovenError {
  static {
    setErrorName(this, 'ConnectionClosed', 'ERR_CONNECTION_ENDED');
  }
}

/**
 * The connection was closed cleanly. `connectionLost` receives it in a
 * `Failure`; iterating a `Connection` simply ends.
 */
export class ConnectionDone extends ConnectionClosed {
  static {
    setErrorName(this, 'ConnectionDone', 'ERR_CONNECTION_DONE');
  }
  constructor(message = 'Connection was closed cleanly.', options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The connection was lost uncleanly (reset, aborted, failed). Iterating a
 * `Connection` throws it; `cause` holds the underlying error when known.
 */
export class ConnectionLost extends ConnectionClosed {
  static {
    setErrorName(this, 'ConnectionLost', 'ERR_CONNECTION_LOST');
  }
  constructor(message = 'Connection to the other side was lost.', options?: ErrorOptions) {
    super(message, options);
  }
}

/** The connection was aborted locally (`abortConnection()`), as Twisted's `ConnectionAborted`. */
export class ConnectionAborted extends ConnectionLost {
  static {
    setErrorName(this, 'ConnectionAborted', 'ERR_CONNECTION_ABORTED');
  }
  constructor(message = 'Connection was aborted locally.', options?: ErrorOptions) {
    super(message, options);
  }
}

/** A write was attempted on a connection that is closed or closing. */
export class ConnectionClosedError extends WovenError {
  static {
    setErrorName(this, 'ConnectionClosedError', 'ERR_CONNECTION_CLOSED');
  }
  constructor(message = 'Cannot write: the connection is closed.', options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The server this connection belongs to is stopping (the runner received
 * SIGINT/SIGTERM). A stream protocol sees it as `conn.signal.reason` while
 * its iteration ends as at a clean EOF: it may still write its reply, then
 * return. A classic protocol gets `loseConnection()` instead.
 *
 * @example
 * ```ts
 * const slow: StreamProtocol = async function* (conn) {
 *   for await (const line of lines(conn)) yield `${line}\r\n`;
 *   if (conn.signal.reason instanceof ServerStoppingError) yield 'bye: the server is stopping\r\n';
 * };
 * ```
 */
export class ServerStoppingError extends WovenError {
  static {
    setErrorName(this, 'ServerStoppingError', 'ERR_SERVER_STOPPING');
  }
  constructor(message = 'The server is stopping.', options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * A factory built no protocol where one was needed (its `buildProtocol`
 * returned `null`: a client endpoint's connection, stdio), so the
 * connection was dropped, as Twisted's `NoProtocol`.
 */
export class NoProtocol extends WovenError {
  static {
    setErrorName(this, 'NoProtocol', 'ERR_NO_PROTOCOL');
  }
}

/**
 * A protocol instance was attached to a second transport (a
 * `DatagramProtocol` serves one port at a time).
 */
export class ProtocolInUseError extends WovenError {
  static {
    setErrorName(this, 'ProtocolInUseError', 'ERR_PROTOCOL_IN_USE');
  }
}

/**
 * A second producer was registered on a consumer (a transport) that has one
 * already: unregister the first (Twisted raises `RuntimeError`).
 */
export class ProducerRegisteredError extends WovenError {
  static {
    setErrorName(this, 'ProducerRegisteredError', 'ERR_PRODUCER_REGISTERED');
  }
}
