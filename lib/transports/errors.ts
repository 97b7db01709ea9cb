// The transports' errors: connect failures (as twisted.internet.error's ConnectError
// family), TLS, listen, port and connector state failures, UDP's address and
// length errors, plus the mapping from Node's errno codes to them.
import { setErrorName, WovenError } from '../failure/index.js';

/** Options shared by the network errors: the underlying Node error and its code. */
export interface NetworkErrorOptions {
  /** The Node error that caused this one (kept as `cause`). */
  cause?: unknown;
  /** Node's error code (`ECONNREFUSED`, `ENOTFOUND`, ...), when there was one. */
  osError?: string;
}

/**
 * An error occurred while connecting: the base of every connect failure, as
 * Twisted's `ConnectError`. `osError` holds Node's error code when the
 * failure came from the operating system.
 *
 * @example
 * ```ts
 * class Client extends ClientFactory {
 *   clientConnectionFailed(connector, reason) {
 *     if (reason.check(ConnectError)) console.log('could not connect:', reason.getErrorMessage());
 *   }
 * }
 * ```
 */
export class ConnectError extends WovenError {
  /** Node's error code (e.g. `ECONNREFUSED`), or `undefined`. */
  readonly osError: string | undefined;

  constructor(message?: string, options: NetworkErrorOptions = {}) {
    super(message ?? 'An error occurred while connecting', { cause: options.cause });
    this.osError = options.osError;
  }

  static {
    setErrorName(ConnectError, 'ConnectError', 'ERR_CONNECT');
  }
}

/** The peer refused the connection (`ECONNREFUSED`, or no Unix socket listening). */
export class ConnectionRefusedError extends ConnectError {
  static {
    setErrorName(ConnectionRefusedError, 'ConnectionRefusedError', 'ERR_CONNECTION_REFUSED');
  }
}

/**
 * The connection attempt timed out: the connector's `timeout` passed, or the
 * operating system gave up (`ETIMEDOUT`).
 */
export class ConnectTimeoutError extends ConnectError {
  static {
    setErrorName(ConnectTimeoutError, 'ConnectTimeoutError', 'ERR_CONNECT_TIMEOUT');
  }
}

/** The host name could not be resolved (`ENOTFOUND`, `EAI_AGAIN`, ...). */
export class DNSLookupError extends ConnectError {
  static {
    setErrorName(DNSLookupError, 'DNSLookupError', 'ERR_DNS_LOOKUP');
  }
}

/** No route to the host (`EHOSTUNREACH`, `ENETUNREACH`). */
export class NoRouteError extends ConnectError {
  static {
    setErrorName(NoRouteError, 'NoRouteError', 'ERR_NO_ROUTE');
  }
}

/** The client could not bind to its `bindAddress`. */
export class ConnectBindError extends ConnectError {
  static {
    setErrorName(ConnectBindError, 'ConnectBindError', 'ERR_CONNECT_BIND');
  }
}

/** The Unix socket's lock file shows no live server (`connectUNIX` with `checkPID`). */
export class BadFileError extends ConnectError {
  static {
    setErrorName(BadFileError, 'BadFileError', 'ERR_BAD_FILE');
  }
}

/** The connection attempt was stopped by the user (`Connector.stopConnecting()`). */
export class UserError extends ConnectError {
  static {
    setErrorName(UserError, 'UserError', 'ERR_CONNECT_CANCELLED');
  }
}

/**
 * A TLS handshake or certificate verification failed. `tlsCode` is Node's
 * (OpenSSL's) error code, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`,
 * `ERR_TLS_CERT_ALTNAME_INVALID` or `ERR_SSL_WRONG_VERSION_NUMBER`; `code` is
 * always `ERR_TLS`.
 */
export class TLSError extends ConnectError {
  /** Node's error code for the TLS failure. */
  readonly tlsCode: string | undefined;

  constructor(message?: string, options: NetworkErrorOptions = {}) {
    super(message ?? 'TLS handshake failed', options);
    this.tlsCode = options.osError;
  }

  static {
    setErrorName(TLSError, 'TLSError', 'ERR_TLS');
  }
}

/**
 * Listening failed (`EADDRINUSE`, `EACCES`, ...), as Twisted's
 * `CannotListenError`. `interface` and `port` (or the Unix path in `port`)
 * say where.
 */
export class CannotListenError extends WovenError {
  /** The interface (host) that was asked for; `''` means all. */
  readonly interface: string;
  /** The port number, or the Unix socket path. */
  readonly port: number | string;
  /** Node's error code, e.g. `EADDRINUSE`. */
  readonly osError: string | undefined;

  constructor(iface: string, port: number | string, cause?: unknown) {
    const osError = nodeErrorCode(cause);
    const where = typeof port === 'number' ? `${iface || '*'}:${port}` : port;
    super(`Couldn't listen on ${where}: ${errorMessage(cause)}`, { cause });
    this.interface = iface;
    this.port = port;
    this.osError = osError;
  }

  static {
    setErrorName(CannotListenError, 'CannotListenError', 'ERR_CANNOT_LISTEN');
  }
}

/** `Connector.stopConnecting()` was called while not connecting. */
export class NotConnectingError extends WovenError {
  static {
    setErrorName(NotConnectingError, 'NotConnectingError', 'ERR_NOT_CONNECTING');
  }
}

/** Node's `code` of an error (`ECONNREFUSED`, ...), or `undefined`. */
export function nodeErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The message of `error` (its `message` when an Error, else its text form). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type ConnectErrorClass = new (message?: string, options?: NetworkErrorOptions) => ConnectError;

const connectErrnos: Record<string, ConnectErrorClass> = {
  ECONNREFUSED: ConnectionRefusedError,
  ENOENT: ConnectionRefusedError, // connectUNIX: nothing at that path
  ETIMEDOUT: ConnectTimeoutError,
  ENOTFOUND: DNSLookupError,
  EAI_AGAIN: DNSLookupError,
  EAI_FAIL: DNSLookupError,
  EAI_NONAME: DNSLookupError,
  EAI_NODATA: DNSLookupError,
  EHOSTUNREACH: NoRouteError,
  ENETUNREACH: NoRouteError,
  EADDRINUSE: ConnectBindError,
  EADDRNOTAVAIL: ConnectBindError,
};

/** True when `code` is a TLS/OpenSSL failure rather than a socket one. */
export function isTLSErrorCode(code: string | undefined): boolean {
  if (code === undefined) return false;
  return (
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    code.includes('CERT') ||
    code.startsWith('UNABLE_TO') ||
    code === 'HOSTNAME_MISMATCH'
  );
}

/**
 * Map a Node error raised while connecting to the matching {@link ConnectError}
 * subclass (an existing ConnectError is returned as is).
 */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  const code = nodeErrorCode(error);
  const message = errorMessage(error);
  if (isTLSErrorCode(code)) return new TLSError(message, { cause: error, osError: code });
  const cls = (code !== undefined && connectErrnos[code]) || ConnectError;
  return new cls(message, { cause: error, osError: code });
}

/** Map a Node TLS error (handshake, verification) to a {@link TLSError}. */
export function toTLSError(error: unknown): TLSError {
  if (error instanceof TLSError) return error;
  return new TLSError(errorMessage(error), { cause: error, osError: nodeErrorCode(error) });
}

// --- UDP, as twisted.internet.error's InvalidAddressError, MessageLengthError, MulticastJoinError ---

/**
 * An address was not usable: not a numeric IPv4/IPv6 address where one is
 * required (UDP `write`, `connect`, the listening interface), or of the wrong
 * family for the socket, as Twisted's `InvalidAddressError`.
 *
 * @example
 * ```ts
 * try {
 *   port.connect('localhost', 53); // UDP connect takes numeric addresses only
 * } catch (e) {
 *   if (e instanceof InvalidAddressError) console.log(e.address); // 'localhost'
 * }
 * ```
 */
export class InvalidAddressError extends WovenError {
  /** The address that was refused. */
  readonly address: string;

  constructor(address: string, message: string, options?: ErrorOptions) {
    super(`Invalid address ${JSON.stringify(address)}: ${message}`, options);
    this.address = address;
  }

  static {
    setErrorName(this, 'InvalidAddressError', 'ERR_INVALID_ADDRESS');
  }
}

/**
 * A datagram was too long to send (over 65,507 bytes on IPv4, 65,527 on
 * IPv6, or refused by the system with `EMSGSIZE`), as Twisted's
 * `MessageLengthError`.
 */
export class MessageLengthError extends WovenError {
  constructor(message = 'Message is too long to send', options?: ErrorOptions) {
    super(message, options);
  }

  static {
    setErrorName(this, 'MessageLengthError', 'ERR_MESSAGE_LENGTH');
  }
}

/**
 * Joining (or leaving) a multicast group failed, e.g. because `group` is not
 * a multicast address, or was already joined on that interface, as Twisted's
 * `MulticastJoinError`. `osError` is Node's error code (`EINVAL`,
 * `EADDRINUSE`, ...).
 */
export class MulticastJoinError extends WovenError {
  /** The multicast group asked for. */
  readonly group: string;
  /** The interface asked for (`''`: the system's choice). */
  readonly interface: string;
  /** Node's error code, when the system refused. */
  readonly osError: string | undefined;

  constructor(group: string, iface: string, cause?: unknown) {
    super(
      `Couldn't join or leave multicast group ${group} on ${iface || 'any interface'}: ${errorMessage(cause)}`,
      {
        cause,
      },
    );
    this.group = group;
    this.interface = iface;
    this.osError = nodeErrorCode(cause);
  }

  static {
    setErrorName(this, 'MulticastJoinError', 'ERR_MULTICAST_JOIN');
  }
}

/** `connect()` was called on a UDP port that is already connected (Twisted raises `RuntimeError`). */
export class AlreadyConnectedError extends WovenError {
  constructor(
    message = 'already connected, reconnecting is not supported',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  static {
    setErrorName(this, 'AlreadyConnectedError', 'ERR_UDP_ALREADY_CONNECTED');
  }
}

/** A port was asked for what only a listening port has (its handle, its address). */
export class NotListeningError extends WovenError {
  static {
    setErrorName(NotListeningError, 'NotListeningError', 'ERR_NOT_LISTENING');
  }
}

/** A port that listens already was told to start listening again. */
export class AlreadyListeningError extends WovenError {
  static {
    setErrorName(AlreadyListeningError, 'AlreadyListeningError', 'ERR_ALREADY_LISTENING');
  }
}

/**
 * `Connector.connect()` was called while the connector is not
 * `'disconnected'` (Twisted raises `RuntimeError`); `state` says what it was.
 */
export class ConnectorStateError extends WovenError {
  /** The connector's state at the call: `'connecting'` or `'connected'`. */
  readonly state: string;

  constructor(state: string) {
    super(`can't connect in this state: ${state}`);
    this.state = state;
  }

  static {
    setErrorName(ConnectorStateError, 'ConnectorStateError', 'ERR_CONNECTOR_STATE');
  }
}

/**
 * A Unix server with `wantPID` found its socket's lock file held by a live
 * process (`owner`); it is the `cause` of the listen's `CannotListenError`.
 */
export class LockHeldError extends WovenError {
  /** The pid of the process holding the lock. */
  readonly owner: number;

  constructor(path: string, owner: number) {
    super(`Cannot acquire lock: ${path}.lock is held by process ${owner}`);
    this.owner = owner;
  }

  static {
    setErrorName(LockHeldError, 'LockHeldError', 'ERR_LOCK_HELD');
  }
}
