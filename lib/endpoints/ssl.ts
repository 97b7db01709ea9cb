// Tests: tests/endpoints/endpoints.test.ts, tests/endpoints/from-string.test.ts, tests/endpoints/integration.test.ts
import type { ClientFactory, Handler, IConnector } from '../protocols/index.js';
import { InetClientEndpoint } from './client-endpoint.js';
import type {
  BindAddress,
  IListeningPort,
  IReactorSSL,
  TLSClientOptions,
  TLSServerOptions,
} from '../transports/index.js';
import type { IStreamServerEndpoint, ListenOptions } from './interfaces.js';
import { listenUnlessAborted } from './listen-options.js';
import { DEFAULT_BACKLOG } from '../transports/index.js';

/**
 * A TLS server endpoint, as Twisted's `SSL4ServerEndpoint`: `listen` calls
 * `reactor.listenSSL(port, handler, tlsOptions, backlog, interface)`.
 * `tlsOptions` are Node's `tls.createServer` options (`key`, `cert`, ... as
 * PEM strings or Buffers).
 *
 * @example
 * ```ts
 * const ep = new SSL4ServerEndpoint(reactor, 8443, { key: keyPem, cert: certPem });
 * await ep.listen(Echo);
 * ```
 */
export class SSL4ServerEndpoint implements IStreamServerEndpoint {
  /** The reactor listening is delegated to. */
  readonly reactor: IReactorSSL;
  /** The port to listen on (0: any free port). */
  readonly port: number;
  /** Node's TLS server options. */
  readonly tlsOptions: TLSServerOptions;
  /** The listen queue size. */
  readonly backlog: number;
  /** The interface to listen on (`''`: all). */
  readonly interface: string;

  constructor(
    reactor: IReactorSSL,
    port: number,
    tlsOptions: TLSServerOptions,
    backlog = DEFAULT_BACKLOG,
    iface = '',
  ) {
    this.reactor = reactor;
    this.port = port;
    this.tlsOptions = tlsOptions;
    this.backlog = backlog;
    this.interface = iface;
  }

  /** Listen, serving `handler`; rejects if the reactor cannot listen, or when `options.signal` aborts first. */
  listen(handler: Handler, options?: ListenOptions): Promise<IListeningPort> {
    return listenUnlessAborted(options, () =>
      this.reactor.listenSSL(this.port, handler, this.tlsOptions, this.backlog, this.interface),
    );
  }
}

/**
 * A TLS client endpoint, as Twisted's `SSL4ClientEndpoint`: `connect` calls
 * `reactor.connectSSL(host, port, factory, tlsOptions, timeout, bindAddress)`.
 * `tlsOptions` are Node's `tls.connect` options; the server's certificate and
 * host name are verified unless they say otherwise.
 *
 * @example
 * ```ts
 * const ep = new SSL4ClientEndpoint(reactor, 'example.com', 443, { servername: 'example.com' });
 * const conn = await ep.connect();
 * ```
 */
export class SSL4ClientEndpoint extends InetClientEndpoint<IReactorSSL> {
  /** Node's TLS client options. */
  readonly tlsOptions: TLSClientOptions;

  constructor(
    reactor: IReactorSSL,
    host: string,
    port: number,
    tlsOptions: TLSClientOptions = {},
    timeout = 30,
    bindAddress?: BindAddress,
  ) {
    super(reactor, host, port, timeout, bindAddress);
    this.tlsOptions = tlsOptions;
  }

  protected startConnecting(factory: ClientFactory): IConnector {
    return this.reactor.connectSSL(
      this.host,
      this.port,
      factory,
      this.tlsOptions,
      this.timeout,
      this.bindAddress,
    );
  }
}
