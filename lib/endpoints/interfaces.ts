// Tests: tests/endpoints/endpoints.test.ts
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import type {
  Address,
  ClientFactory,
  Connection,
  Handler,
  IConnector,
  Protocol,
} from '../protocols/index.js';

/**
 * What endpoints need of a listening port: the `ListeningPort` the reactor's
 * listen methods resolve with (or a test double's).
 */
export interface IListeningPort {
  /** The address the port listens on (with the real port number for port 0). */
  getHost(): Address;
  /** Stop accepting connections. */
  stopListening(): Promise<void> | void;
}

/** A local address an outgoing connection binds to: `[host, port]`, as Twisted's `bindAddress`. */
export type BindAddress = readonly [host: string, port: number];

/** The TCP half of a reactor, as Twisted's `IReactorTCP`. */
export interface IReactorTCP {
  listenTCP(
    port: number,
    factory: Handler,
    backlog?: number,
    iface?: string,
  ): Promise<IListeningPort>;
  connectTCP(
    host: string,
    port: number,
    factory: ClientFactory,
    timeout?: number,
    bindAddress?: BindAddress,
  ): IConnector;
}

/** The TLS half of a reactor, as Twisted's `IReactorSSL` (with Node's TLS options). */
export interface IReactorSSL {
  listenSSL(
    port: number,
    factory: Handler,
    tlsOptions: TlsOptions,
    backlog?: number,
    iface?: string,
  ): Promise<IListeningPort>;
  connectSSL(
    host: string,
    port: number,
    factory: ClientFactory,
    tlsOptions: ConnectionOptions,
    timeout?: number,
    bindAddress?: BindAddress,
  ): IConnector;
}

/** The Unix-socket half of a reactor, as Twisted's `IReactorUNIX`. */
export interface IReactorUNIX {
  listenUNIX(
    address: string,
    factory: Handler,
    backlog?: number,
    mode?: number,
    wantPID?: boolean,
  ): Promise<IListeningPort>;
  connectUNIX(
    address: string,
    factory: ClientFactory,
    timeout?: number,
    checkPID?: boolean,
  ): IConnector;
}

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
  listen(handler: Handler, options?: ListenOptions): Promise<IListeningPort>;
}

/**
 * A client endpoint, as Twisted's `IStreamClientEndpoint`: each `connect`
 * makes one attempt. With no handler or a stream protocol it resolves with
 * the `Connection`, with a classic handler with the connected protocol.
 */
export interface IStreamClientEndpoint {
  connect(
    handler?: Handler | { signal?: AbortSignal },
    options?: { signal?: AbortSignal },
  ): Promise<Protocol | Connection>;
}
