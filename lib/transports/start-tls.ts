// Internal: STARTTLS, a TLS socket over a live connection. The transport
// hands over its socket (paused, its own listeners detached) and the bytes it
// already read past the STARTTLS exchange; this module builds the
// tls.TLSSocket over them (as the server, or as a client verifying the peer's
// name), arms the handshake deadline and settles when the handshake does.
// Tests: tests/transports/tls.test.ts, tests/transports/tls-handshake-timeout.test.ts
import { isIP, type Socket } from 'node:net';
import * as tls from 'node:tls';
import type { StartTLSOptions } from '../protocols/index.js';
import { publishTLSFailure } from './connection-events.js';
import { toTLSError } from './errors.js';
import { DEFAULT_HANDSHAKE_TIMEOUT, handshakeDeadline } from './handshake-deadline.js';
import { PrefixedDuplex } from './prefixed-duplex.js';

/**
 * One STARTTLS on a live socket: {@link socket} is the TLS socket built over
 * it (its handshake starts at once), {@link handshake} waits for that
 * handshake. The transport attaches its listeners to {@link socket} before
 * it calls {@link handshake}.
 */
export class TLSUpgrade {
  /** The TLS socket over the old one: the connection's socket from now on. */
  readonly socket: tls.TLSSocket;
  readonly #old: Socket;
  readonly #isServer: boolean;
  readonly #handshakeTimeout: number;

  /**
   * Build the TLS socket over `old` (fed `pending` first, when there are
   * bytes already read or buffered), as the server when `options.isServer`
   * says so or, without it, when `isServer` (the transport's own role).
   */
  constructor(
    old: Socket,
    options: StartTLSOptions,
    pending: Uint8Array | undefined,
    isServer: boolean,
  ) {
    this.#old = old;
    const base = needsWrapper(old, pending) ? new PrefixedDuplex(old, pending) : old;
    const {
      isServer: server = isServer,
      handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT * 1000,
      ...tlsOptions
    } = options;
    this.#isServer = server;
    this.#handshakeTimeout = handshakeTimeout;
    this.socket = server
      ? new tls.TLSSocket(base, { ...tlsOptions, isServer: true })
      : tls.connect({ ...clientIdentity(tlsOptions, old), ...tlsOptions, socket: base });
  }

  /**
   * Resolve once the handshake completes; reject with a `TLSError` when it
   * fails or misses its deadline (the failure is published to the
   * diagnostics channel), or with `closeReason()` converted likewise when
   * the socket closes first.
   */
  handshake(closeReason: () => Error): Promise<void> {
    const secure = this.socket;
    const isServer = this.#isServer;
    const old = this.#old;
    const disarm = handshakeDeadline(secure, this.#handshakeTimeout, old.remoteAddress);
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        disarm();
        secure.off(isServer ? 'secure' : 'secureConnect', onSecure);
        secure.off('error', done);
        secure.off('close', onClose);
        if (error) {
          publishTLSFailure(error, old, isServer);
          reject(toTLSError(error));
        } else resolve();
      };
      const onSecure = () => done();
      const onClose = () => done(closeReason());
      secure.once(isServer ? 'secure' : 'secureConnect', onSecure);
      secure.once('error', done);
      secure.once('close', onClose);
    });
  }
}

/** Default `host`/`servername` for a client-side `startTLS`: the peer's address. */
function clientIdentity(options: tls.ConnectionOptions, socket: Socket): tls.ConnectionOptions {
  const host = options.host ?? options.servername ?? socket.remoteAddress ?? 'localhost';
  return isIP(host) !== 0 ? { host } : { host, servername: host };
}

/** Whether TLS must read through a {@link PrefixedDuplex}: bytes are pending or buffered in the socket. */
function needsWrapper(socket: Socket, pending: Uint8Array | undefined): boolean {
  return (
    (pending !== undefined && pending.length > 0) ||
    socket.readableLength > 0 ||
    socket.writableLength > 0
  );
}
