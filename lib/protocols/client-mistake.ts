// Tests: tests/protocols/client-mistake.test.ts
import { Logger } from '../log/index.js';
import { type Address, formatAddress } from './address.js';
import { FramingError } from './framing/index.js';

const log = new Logger('woven.protocols.client');

/**
 * True for an error that is the peer's fault, not the server's: malformed
 * framed input (`FramingError`, `FrameTooLong`, `UnexpectedEOF`).
 */
export function isClientMistake(error: unknown): error is FramingError {
  return error instanceof FramingError;
}

/**
 * Log, once and at info, that a connection is closed because of what its
 * peer sent: the peer's address and the reason, with no stack trace (a
 * client's mistake is not a server error).
 */
export function logClientMistake(peer: Address | undefined, reason: Error): void {
  log.info('closing the connection from {peer}: {reason}', {
    peer: describePeer(peer),
    reason: reason.message,
    error: reason.name,
    code: (reason as { code?: unknown }).code,
  });
}

/** A peer's address for a log line (`an unknown peer` without one). */
export function describePeer(peer: Address | undefined): string {
  return peer === undefined ? 'an unknown peer' : formatAddress(peer);
}
