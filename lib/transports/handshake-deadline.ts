// Tests: tests/transports/tls-handshake-timeout.test.ts
import type { TLSSocket } from 'node:tls';
import { Logger } from '../log/index.js';
import { TLSError } from './errors.js';

const log = new Logger('woven.transports.tls');

/** Node's and woven's default TLS handshake timeout, in seconds. */
export const DEFAULT_HANDSHAKE_TIMEOUT = 120;

/**
 * Give the handshake `socket` has begun `ms` milliseconds (as Node's
 * `handshakeTimeout` option): past them the socket is destroyed with an
 * `ERR_TLS_HANDSHAKE_TIMEOUT` error and the peer `host` is logged at info.
 * Node sets no such deadline on a `TLSSocket` it did not accept itself (a
 * `startTLS` on a live connection). Returns the function that disarms it.
 */
export function handshakeDeadline(
  socket: TLSSocket,
  ms: number,
  host: string | undefined,
): () => void {
  const timer = setTimeout(() => {
    log.info('TLS handshake with {host} did not finish within {timeout} s: closing', {
      host,
      timeout: ms / 1000,
      tlsCode: 'ERR_TLS_HANDSHAKE_TIMEOUT',
    });
    socket.destroy(new TLSError('TLS handshake timeout', { osError: 'ERR_TLS_HANDSHAKE_TIMEOUT' }));
  }, ms);
  timer.unref();
  return () => clearTimeout(timer);
}
