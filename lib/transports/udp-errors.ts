// Errors of the UDP transports, as twisted.internet.error's
// InvalidAddressError, MessageLengthError and MulticastJoinError.
// Tests: tests/transports/udp.test.ts, tests/transports/udp-multicast.test.ts
import { setErrorName, WovenError } from '../failure/index.js';
import { errorMessage, nodeErrorCode } from './errors.js';

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
