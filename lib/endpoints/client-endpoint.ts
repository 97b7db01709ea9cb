// Tests: tests/endpoints/endpoints.test.ts, tests/endpoints/integration.test.ts
import type {
  ClientFactory,
  Connection,
  Handler,
  IConnector,
  Protocol,
  ProtocolClass,
  StreamProtocol,
  Factory,
} from '../protocols/index.js';
import type { BindAddress } from '../transports/index.js';
import {
  type ConnectOptions,
  type Connected,
  connectArguments,
  connectThrough,
} from './connection-attempt.js';

/**
 * The base of woven's client endpoints, as Twisted's `IStreamClientEndpoint`:
 * `connect(handler?, {signal}?)` makes one connection attempt. With no
 * handler, or a stream protocol, it resolves with the {@link Connection};
 * with a classic handler (a `Factory` or `Protocol` subclass), with the
 * connected protocol. A failed attempt rejects with the typed connect error
 * (`ConnectionRefusedError`, `ConnectTimeoutError`, `DNSLookupError`,
 * `TLSError`, ...); aborting `signal` stops the connector and rejects with
 * `CancelledError`.
 */
export abstract class StreamClientEndpoint {
  /** Connect and resolve with the {@link Connection}, which you drive yourself. */
  connect(options?: ConnectOptions): Promise<Connection>;
  /** Connect, run the stream protocol on the connection, and resolve with the {@link Connection}. */
  connect(handler: StreamProtocol, options?: ConnectOptions): Promise<Connection>;
  /** Connect with a classic handler; resolves with the connected protocol. */
  connect<P extends Protocol>(handler: ProtocolClass<P>, options?: ConnectOptions): Promise<P>;
  /** Connect with a classic factory; resolves with the protocol it built. */
  connect(handler: Factory, options?: ConnectOptions): Promise<Protocol>;
  /** Connect with any handler. */
  connect(handler?: Handler, options?: ConnectOptions): Promise<Connected>;
  connect(
    handlerOrOptions?: Handler | ConnectOptions,
    options?: ConnectOptions,
  ): Promise<Connected> {
    const [handler, opts] = connectArguments(handlerOrOptions, options);
    return connectThrough(handler, opts, (factory) => this.startConnecting(factory));
  }

  /** Start the attempt: call the reactor's connect method with `factory`. */
  protected abstract startConnecting(factory: ClientFactory): IConnector;
}

/**
 * The base of client endpoints that connect to a host and port (TCP and
 * TLS): it holds the reactor and Twisted's connect arguments.
 */
export abstract class InetClientEndpoint<R> extends StreamClientEndpoint {
  /** The reactor connecting is delegated to. */
  readonly reactor: R;
  /** The host to connect to. */
  readonly host: string;
  /** The port to connect to. */
  readonly port: number;
  /** Seconds before an attempt fails with `ConnectTimeoutError`. */
  readonly timeout: number;
  /** The local `[host, port]` to bind to, if any. */
  readonly bindAddress: BindAddress | undefined;

  constructor(reactor: R, host: string, port: number, timeout = 30, bindAddress?: BindAddress) {
    super();
    this.reactor = reactor;
    this.host = host;
    this.port = port;
    this.timeout = timeout;
    this.bindAddress = bindAddress;
  }
}
