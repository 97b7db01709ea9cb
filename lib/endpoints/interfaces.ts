// The endpoint shapes, as Twisted's IStreamServerEndpoint and
// IStreamClientEndpoint; the reactor interfaces they use live in transports.
// Tests: tests/endpoints/endpoints.test.ts
import type { Connection, Handler, Protocol } from '../protocols/index.js';
import type { IListeningPort } from '../transports/index.js';

/** Options of a server endpoint's `listen`. */
export interface ListenOptions {
  /**
   * Aborting it before the port is listening rejects with an `AbortError`
   * (`cause`: the signal's reason) and closes the port if it opened late;
   * once listening, the port is yours to `stopListening()`.
   */
  signal?: AbortSignal;
}

/**
 * A server endpoint, as Twisted's `IStreamServerEndpoint`: `listen(handler)`
 * starts serving `handler` and resolves with the listening port.
 */
export interface IStreamServerEndpoint {
  /** Serve `handler`; resolves with the listening port, rejects when listening fails. */
  listen(handler: Handler, options?: ListenOptions): Promise<IListeningPort>;
}

/**
 * A client endpoint, as Twisted's `IStreamClientEndpoint`: each `connect`
 * makes one attempt. With no handler or a stream protocol it resolves with
 * the `Connection`, with a classic handler with the connected protocol.
 */
export interface IStreamClientEndpoint {
  /** Make one connection attempt; rejects with the typed connect error, or an `AbortError`. */
  connect(
    handler?: Handler | { signal?: AbortSignal },
    options?: { signal?: AbortSignal },
  ): Promise<Protocol | Connection>;
}
