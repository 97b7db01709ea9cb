// The reactor's network interfaces, as Twisted's twisted.internet.interfaces:
// the one declaration of each shape, implemented by `Reactor` (reactor.ts)
// and by the testing fakes, and imported by endpoints, app and plugins.
// Tests: tests/transports/reactor.test.ts
import type { Address, Handler, IConnector } from '../protocols/index.js';
import type { IReactorTime, ReactorCore } from '../time/index.js';
import type { TLSClientOptions, TLSServerOptions } from './tls.js';
import type { DatagramHandlerLike } from './udp-stream.js';

/**
 * A port accepting connections or datagrams, as Twisted's `IListeningPort`:
 * what the reactor's listen methods (and server endpoints) resolve with.
 */
export interface IListeningPort {
  /**
   * The address the port listens on: `{type: 'TCP', host, port}` with the
   * real port number when 0 was asked for, or `{type: 'UNIX', name}`.
   */
  getHost(): Address;
  /**
   * Stop accepting: the port closes; connections already accepted are not
   * cut. Resolves once closed; calling it again does nothing.
   */
  stopListening(): PromiseLike<void> | void;
}

/**
 * A local address an outgoing connection binds to, as Twisted's
 * `bindAddress`: `[host, port]` (port 0: any), or `{host, port?}`.
 */
export type BindAddress = readonly [host: string, port: number] | { host: string; port?: number };

/** TCP, as Twisted's `IReactorTCP`. */
export interface IReactorTCP {
  /**
   * Listen for TCP connections on `port` (0 picks a free one) and `iface`
   * (`''`: every interface), serving `handler` (a `Factory`, a `Protocol`
   * subclass or a stream protocol) on each accepted connection.
   *
   * @returns the listening port, once listening.
   * Rejects with `CannotListenError` when the address is in use, not local
   * or not allowed.
   */
  listenTCP(
    port: number,
    handler: Handler,
    backlog?: number,
    iface?: string,
  ): Promise<IListeningPort>;
  /**
   * Connect to `host`:`port`, driving `handler`'s client factory:
   * `startedConnecting`, then `buildProtocol` on success or
   * `clientConnectionFailed` on failure, `clientConnectionLost` later.
   * `timeout` is in seconds (`null`: none); `bindAddress` the local address.
   *
   * @returns the started connector (never throws for network failures).
   * Failures reach `clientConnectionFailed` as `ConnectionRefusedError`,
   * `ConnectTimeoutError`, `DNSLookupError`, `NoRouteError`,
   * `ConnectBindError` or another `ConnectError`.
   */
  connectTCP(
    host: string,
    port: number,
    handler: Handler,
    timeout?: number | null,
    bindAddress?: BindAddress,
  ): IConnector;
}

/** TLS over TCP, as Twisted's `IReactorSSL`, with Node's TLS options. */
export interface IReactorSSL {
  /**
   * Listen for TLS connections, as {@link IReactorTCP.listenTCP};
   * `options` are Node's `tls` server options (`key`, `cert`, ...). A
   * client failing the handshake is logged and dropped; the port keeps
   * serving.
   *
   * @returns the listening port. Rejects with `CannotListenError` as
   * `listenTCP`, or with Node's error for unusable keys or certificates.
   */
  listenSSL(
    port: number,
    handler: Handler,
    options: TLSServerOptions,
    backlog?: number,
    iface?: string,
  ): Promise<IListeningPort>;
  /**
   * Connect over TLS, as {@link IReactorTCP.connectTCP}. The server's
   * certificate and host name are verified (Node's default);
   * `trustRoots`/`caCerts` choose the roots.
   *
   * @returns the started connector. Failures reach
   * `clientConnectionFailed` as for TCP, or as `TLSError` (handshake or
   * verification failure, with Node's `code`).
   */
  connectSSL(
    host: string,
    port: number,
    handler: Handler,
    options?: TLSClientOptions,
    timeout?: number | null,
    bindAddress?: BindAddress,
  ): IConnector;
}

/** Unix-domain stream sockets, as Twisted's `IReactorUNIX`. */
export interface IReactorUNIX {
  /**
   * Listen on the socket file `address`; `mode` is applied to it. With
   * `wantPID`, a lock file `<address>.lock` records this process and a
   * stale socket left by a dead server is removed.
   *
   * @returns the listening port. Rejects with `CannotListenError` when the
   * path is in use (by a live server) or cannot be bound.
   */
  listenUNIX(
    address: string,
    handler: Handler,
    backlog?: number,
    mode?: number,
    wantPID?: boolean,
  ): Promise<IListeningPort>;
  /**
   * Connect to the socket file `address`, as {@link IReactorTCP.connectTCP}.
   *
   * @returns the started connector. Failures reach `clientConnectionFailed`
   * as `ConnectError`s; with `checkPID`, as `BadFileError` unless the lock
   * file names a live process.
   */
  connectUNIX(
    address: string,
    handler: Handler,
    timeout?: number | null,
    checkPID?: boolean,
  ): IConnector;
}

/** UDP, as Twisted's `IReactorUDP`. */
export interface IReactorUDP {
  /**
   * Listen for datagrams on `port` and `iface` (`''`: every IPv4
   * interface; an IPv6 address makes an IPv6 port). `handler` is a
   * `DatagramProtocol` (or its class) or a stream-style `DatagramHandler`.
   * Datagrams longer than `maxPacketSize` are truncated to it.
   *
   * @returns the port, once `startProtocol()` has run. Rejects with
   * `CannotListenError` (address in use or not local) or
   * `InvalidAddressError` (`iface` not numeric).
   */
  listenUDP(
    port: number,
    handler: DatagramHandlerLike,
    iface?: string,
    maxPacketSize?: number,
  ): Promise<IListeningPort>;
}

/** UDP multicast, as Twisted's `IReactorMulticast`. */
export interface IReactorMulticast {
  /**
   * Listen for datagrams on a port that can join multicast groups
   * (`joinGroup`, `leaveGroup`, `setTTL`, `setLoopbackMode` on its
   * transport); `listenMultiple` lets other sockets bind the same port.
   *
   * @returns the port, once started. Rejects as {@link IReactorUDP.listenUDP}.
   */
  listenMulticast(
    port: number,
    handler: DatagramHandlerLike,
    iface?: string,
    maxPacketSize?: number,
    listenMultiple?: boolean,
  ): Promise<IListeningPort>;
}

/**
 * The network a reactor offers endpoints: TCP, TLS, Unix sockets and UDP.
 * What endpoint parsers receive; `Reactor` and the testing `MemoryReactor`
 * implement it.
 */
export interface IReactorNetwork extends IReactorTCP, IReactorSSL, IReactorUNIX, IReactorUDP {}

/**
 * The whole reactor as other layers see it: time (`callLater`), lifecycle
 * (`run`, `stop`, triggers), the network and multicast. `Reactor` implements it.
 */
export interface IReactor extends IReactorTime, ReactorCore, IReactorNetwork, IReactorMulticast {}
