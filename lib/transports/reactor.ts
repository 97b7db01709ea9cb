// The one place the reactor gets its network methods. time's `Reactor` is the
// scheduler and lifecycle (it knows no sockets); this module states, in the
// class below, every network method a `Reactor` has, copies them onto
// `Reactor.prototype` once, and re-exports `Reactor` and the default `reactor`
// with that complete shape. Everything above transports takes the reactor from
// here (or through the IReactor* interfaces). See docs/ARCHITECTURE.md.
// Tests: tests/transports/reactor.test.ts
import { type IReactorTime, reactor as coreReactor, Reactor } from '../time/index.js';
import type { Connector } from './connector.js';
import type { IReactorMulticast, IReactorNetwork } from './interfaces.js';
import type { ListeningPort } from './listening-port.js';
import { listenMulticast, type MulticastPort } from './multicast.js';
import { connectTCP, listenTCP } from './tcp.js';
import { connectSSL, listenSSL } from './tls.js';
import { listenUDP, type UDPPort } from './udp.js';
import { connectUNIX, listenUNIX } from './unix.js';

/** A connect function's parameters after its clock (the reactor itself). */
type AfterClock<P extends unknown[]> = P extends [IReactorTime, ...infer Rest] ? Rest : never;

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
  listenTCP(...args: Parameters<typeof listenTCP>): Promise<ListeningPort> {
    return listenTCP(...args);
  }

  /**
   * Connect over TCP, as Twisted's `connectTCP` (see `IReactorTCP`).
   *
   * @example
   * ```ts
   * reactor.connectTCP('127.0.0.1', 8000, new ClientFactory(), 5);
   * ```
   */
  connectTCP(this: IReactorTime, ...args: AfterClock<Parameters<typeof connectTCP>>): Connector {
    return connectTCP(this, ...args);
  }

  /** Listen for TLS connections, as Twisted's `listenSSL` (see `IReactorSSL`). */
  listenSSL(...args: Parameters<typeof listenSSL>): Promise<ListeningPort> {
    return listenSSL(...args);
  }

  /** Connect over TLS, as Twisted's `connectSSL` (see `IReactorSSL`). */
  connectSSL(this: IReactorTime, ...args: AfterClock<Parameters<typeof connectSSL>>): Connector {
    return connectSSL(this, ...args);
  }

  /** Listen on a Unix socket, as Twisted's `listenUNIX` (see `IReactorUNIX`). */
  listenUNIX(...args: Parameters<typeof listenUNIX>): Promise<ListeningPort> {
    return listenUNIX(...args);
  }

  /** Connect to a Unix socket, as Twisted's `connectUNIX` (see `IReactorUNIX`). */
  connectUNIX(this: IReactorTime, ...args: AfterClock<Parameters<typeof connectUNIX>>): Connector {
    return connectUNIX(this, ...args);
  }

  /**
   * Listen for datagrams, as Twisted's `listenUDP` (see `IReactorUDP`).
   *
   * @example
   * ```ts
   * const port = await reactor.listenUDP(0, new DatagramProtocol(), '127.0.0.1');
   * ```
   */
  listenUDP(...args: Parameters<typeof listenUDP>): Promise<UDPPort> {
    return listenUDP(...args);
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
  listenMulticast(...args: Parameters<typeof listenMulticast>): Promise<MulticastPort> {
    return listenMulticast(...args);
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
