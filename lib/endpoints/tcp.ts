// Tests: tests/endpoints/endpoints.test.ts, tests/endpoints/from-string.test.ts, tests/endpoints/integration.test.ts
import type { ClientFactory, Handler, IConnector } from '../protocols/index.js';
import { listenUnlessAborted } from './listen-options.js';
import { InetClientEndpoint } from './client-endpoint.js';
import type { IListeningPort, IReactorTCP } from '../transports/index.js';
import type { IStreamServerEndpoint, ListenOptions } from './interfaces.js';
import { DEFAULT_BACKLOG } from '../transports/index.js';

/**
 * A TCP server endpoint, as Twisted's `TCP4ServerEndpoint`: `listen` calls
 * `reactor.listenTCP(port, handler, backlog, interface)`.
 *
 * @example
 * ```ts
 * const port = await new TCP4ServerEndpoint(reactor, 0, 50, '127.0.0.1').listen(Echo);
 * console.log((port.getHost() as InetAddress).port);
 * ```
 */
export class TCP4ServerEndpoint implements IStreamServerEndpoint {
  /** The reactor listening is delegated to. */
  readonly reactor: IReactorTCP;
  /** The port to listen on (0: any free port). */
  readonly port: number;
  /** The listen queue size. */
  readonly backlog: number;
  /** The interface to listen on (`''`: every interface, IPv6 ones included where the host has them). */
  readonly interface: string;

  constructor(reactor: IReactorTCP, port: number, backlog = DEFAULT_BACKLOG, iface = '') {
    this.reactor = reactor;
    this.port = port;
    this.backlog = backlog;
    this.interface = iface;
  }

  /** Listen, serving `handler`; rejects if the reactor cannot listen, or when `options.signal` aborts first. */
  listen(handler: Handler, options?: ListenOptions): Promise<IListeningPort> {
    return listenUnlessAborted(options, () =>
      this.reactor.listenTCP(this.port, handler, this.backlog, this.interface),
    );
  }
}

/**
 * A TCP server endpoint on IPv6, as Twisted's `TCP6ServerEndpoint`; its
 * interface defaults to `'::'`.
 */
export class TCP6ServerEndpoint extends TCP4ServerEndpoint {
  constructor(reactor: IReactorTCP, port: number, backlog = DEFAULT_BACKLOG, iface = '::') {
    super(reactor, port, backlog, iface);
  }
}

/**
 * A TCP client endpoint, as Twisted's `TCP4ClientEndpoint`: `connect` calls
 * `reactor.connectTCP(host, port, factory, timeout, bindAddress)` with a
 * wrapping client factory. `timeout` is in seconds.
 *
 * @example
 * ```ts
 * const conn = await new TCP4ClientEndpoint(reactor, '127.0.0.1', 8000).connect();
 * await conn.write('hello');
 * ```
 */
export class TCP4ClientEndpoint extends InetClientEndpoint<IReactorTCP> {
  protected startConnecting(factory: ClientFactory): IConnector {
    return this.reactor.connectTCP(this.host, this.port, factory, this.timeout, this.bindAddress);
  }
}

/** A TCP client endpoint for an IPv6 host, as Twisted's `TCP6ClientEndpoint`. */
export class TCP6ClientEndpoint extends TCP4ClientEndpoint {}

/**
 * A TCP client endpoint for a host name, as Twisted's `HostnameEndpoint`:
 * the name is resolved at connect time and its addresses tried in turn
 * (Node's `autoSelectFamily`, Happy Eyeballs); an unknown name fails with
 * `DNSLookupError`.
 */
export class HostnameEndpoint extends TCP4ClientEndpoint {}
