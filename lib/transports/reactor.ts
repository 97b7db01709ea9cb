// The one place the reactor gets its network methods. time's `Reactor` is the
// scheduler and lifecycle (it knows no sockets); this module states, in the
// class below, every network method a `Reactor` has, copies them onto
// `Reactor.prototype` once, and re-exports `Reactor` and the default `reactor`
// with that complete shape. Everything above transports takes the reactor from
// here (or through the IReactor* interfaces). See docs/ARCHITECTURE.md.
// Tests: tests/transports/reactor.test.ts
import type { Handler } from '../protocols/index.js';
import { type IReactorTime, reactor as coreReactor, Reactor } from '../time/index.js';
import type { Connector } from './connector.js';
import type { BindAddress, IReactorMulticast, IReactorNetwork } from './interfaces.js';
import { DEFAULT_BACKLOG, type ListeningPort } from './listening-port.js';
import { listenMulticast, type MulticastPort } from './multicast.js';
import { connectTCP, listenTCP } from './tcp.js';
import { connectSSL, listenSSL, type TLSClientOptions, type TLSServerOptions } from './tls.js';
import { listenUDP, type UDPPort } from './udp.js';
import type { DatagramHandlerLike } from './udp-stream.js';
import { connectUNIX, listenUNIX } from './unix.js';

/**
 * The network methods of every `Reactor` (the `IReactor*` interfaces of
 * interfaces.ts, whose TSDoc says what each returns and how it fails). The
 * connect methods use the reactor itself as the clock of their timeouts.
 */
export class ReactorNetwork implements IReactorNetwork, IReactorMulticast {
  /**
   * Listen for TCP connections, as Twisted's `listenTCP` (see `IReactorTCP`).
   *
   * @example
   * ```ts
   * const port = await reactor.listenTCP(0, async function* (conn) {
   *   for await (const chunk of conn) yield chunk;
   * }, 50, '127.0.0.1');
   * ```
   */
  listenTCP(
    port: number,
    handler: Handler,
    backlog = DEFAULT_BACKLOG,
    iface = '',
  ): Promise<ListeningPort> {
    return listenTCP(port, handler, backlog, iface);
  }

  /**
   * Connect over TCP, as Twisted's `connectTCP` (see `IReactorTCP`).
   *
   * @example
   * ```ts
   * reactor.connectTCP('127.0.0.1', 8000, new ClientFactory(), 5);
   * ```
   */
  connectTCP(
    this: IReactorTime,
    host: string,
    port: number,
    handler: Handler,
    timeout: number | null = 30,
    bindAddress?: BindAddress,
  ): Connector {
    return connectTCP(this, host, port, handler, timeout, bindAddress);
  }

  /** Listen for TLS connections, as Twisted's `listenSSL` (see `IReactorSSL`). */
  listenSSL(
    port: number,
    handler: Handler,
    options: TLSServerOptions,
    backlog = DEFAULT_BACKLOG,
    iface = '',
  ): Promise<ListeningPort> {
    return listenSSL(port, handler, options, backlog, iface);
  }

  /** Connect over TLS, as Twisted's `connectSSL` (see `IReactorSSL`). */
  connectSSL(
    this: IReactorTime,
    host: string,
    port: number,
    handler: Handler,
    options: TLSClientOptions = {},
    timeout: number | null = 30,
    bindAddress?: BindAddress,
  ): Connector {
    return connectSSL(this, host, port, handler, options, timeout, bindAddress);
  }

  /** Listen on a Unix socket, as Twisted's `listenUNIX` (see `IReactorUNIX`). */
  listenUNIX(
    address: string,
    handler: Handler,
    backlog = DEFAULT_BACKLOG,
    mode = 0o666,
    wantPID = false,
  ): Promise<ListeningPort> {
    return listenUNIX(address, handler, backlog, mode, wantPID);
  }

  /** Connect to a Unix socket, as Twisted's `connectUNIX` (see `IReactorUNIX`). */
  connectUNIX(
    this: IReactorTime,
    address: string,
    handler: Handler,
    timeout: number | null = 30,
    checkPID = false,
  ): Connector {
    return connectUNIX(this, address, handler, timeout, checkPID);
  }

  /**
   * Listen for datagrams, as Twisted's `listenUDP` (see `IReactorUDP`).
   *
   * @example
   * ```ts
   * const port = await reactor.listenUDP(0, new DatagramProtocol(), '127.0.0.1');
   * ```
   */
  listenUDP(
    port: number,
    handler: DatagramHandlerLike,
    iface = '',
    maxPacketSize = 8192,
  ): Promise<UDPPort> {
    return listenUDP(port, handler, iface, maxPacketSize);
  }

  /**
   * Listen for multicast datagrams, as Twisted's `listenMulticast` (see
   * `IReactorMulticast`).
   *
   * @example
   * ```ts
   * const port = await reactor.listenMulticast(0, new DatagramProtocol(), '', 8192, true);
   * await port.joinGroup('225.0.0.250', '127.0.0.1');
   * ```
   */
  listenMulticast(
    port: number,
    handler: DatagramHandlerLike,
    iface = '',
    maxPacketSize = 8192,
    listenMultiple = false,
  ): Promise<MulticastPort> {
    return listenMulticast(port, handler, iface, maxPacketSize, listenMultiple);
  }
}

declare module '../time/reactor.js' {
  /** A `Reactor` has the network methods of {@link ReactorNetwork}. */
  interface Reactor extends ReactorNetwork {}
}

for (const name of Object.getOwnPropertyNames(ReactorNetwork.prototype)) {
  if (name === 'constructor') continue;
  const method = Object.getOwnPropertyDescriptor(ReactorNetwork.prototype, name);
  if (method !== undefined) Object.defineProperty(Reactor.prototype, name, method);
}

/** The default reactor, with its network methods: one per process (time's `reactor`). */
const reactor: Reactor = coreReactor;

export { Reactor, reactor };
