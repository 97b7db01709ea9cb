import type { Duplex } from 'node:stream';
import { Logger } from '../../log/index.js';
import { reactor } from '../../time/index.js';

const log = new Logger('woven.plugins.web');

/** The timeouts an HTTP connection is held to, in seconds (0 disables one). */
export interface HttpTimeouts {
  /** Time to receive a request's headers, from the connection or its first byte after an idle keep-alive. */
  readonly headersTimeout: number;
  /** Time to receive a whole request (headers and body), counted as `headersTimeout`. */
  readonly requestTimeout: number;
  /** Time a keep-alive connection may stay idle between requests. */
  readonly keepAliveTimeout: number;
}

/** `socket`'s peer as `host:port`, for log lines. */
export function peerOf(socket: Duplex): string {
  const { remoteAddress, remotePort } = socket as { remoteAddress?: string; remotePort?: number };
  return `${remoteAddress}:${remotePort}`;
}

/**
 * The deadlines of one HTTP connection handed to `node:http` (whose own
 * timers do not run on a connection it did not accept): each destroys the
 * connection with a logged reason naming the peer when it passes.
 */
export class ConnectionDeadlines {
  readonly #socket: Duplex;
  readonly #timeouts: HttpTimeouts;
  readonly #timers = new Map<keyof HttpTimeouts, { cancel(): void }>();

  constructor(socket: Duplex, timeouts: HttpTimeouts) {
    this.#socket = socket;
    this.#timeouts = timeouts;
    socket.once('close', () => this.#clear());
    this.#awaitRequest();
  }

  /** The request's headers arrived. */
  headersReceived(): void {
    this.#cancel('headersTimeout');
  }

  /** The request (headers and body) arrived. */
  requestReceived(): void {
    this.#cancel('requestTimeout');
  }

  /** The response was sent and the connection is kept alive: idle until the next byte. */
  idle(): void {
    this.#arm('keepAliveTimeout', 'idle keep-alive connection');
    // First, so the deadline is set before node:http parses these bytes.
    this.#socket.prependOnceListener('data', () => {
      this.#cancel('keepAliveTimeout');
      this.#awaitRequest();
    });
  }

  #awaitRequest(): void {
    this.#arm('headersTimeout', 'request headers not received');
    this.#arm('requestTimeout', 'request not received');
  }

  #arm(which: keyof HttpTimeouts, reason: string): void {
    this.#cancel(which);
    const seconds = this.#timeouts[which];
    if (!(seconds > 0)) return;
    const timer = reactor.callLater(seconds, () => {
      this.#timers.delete(which);
      log.info('closing HTTP connection from {peer}: {reason} within {seconds} s', {
        peer: peerOf(this.#socket),
        reason,
        seconds,
        timeout: which,
      });
      this.#socket.destroy();
    });
    this.#timers.set(which, timer);
  }

  #cancel(which: keyof HttpTimeouts): void {
    this.#timers.get(which)?.cancel();
    this.#timers.delete(which);
  }

  #clear(): void {
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
  }
}
