// Tests: tests/endpoints/endpoints.test.ts, tests/endpoints/from-string.test.ts, tests/endpoints/integration.test.ts
import type { ClientFactory, Handler, IConnector } from '../protocols/index.js';
import { listenUnlessAborted } from './listen-options.js';
import { StreamClientEndpoint } from './client-endpoint.js';
import type { IListeningPort, IReactorUNIX } from '../transports/index.js';
import type { IStreamServerEndpoint, ListenOptions } from './interfaces.js';
import { DEFAULT_BACKLOG } from '../transports/index.js';

/**
 * A Unix-socket server endpoint, as Twisted's `UNIXServerEndpoint`: `listen`
 * calls `reactor.listenUNIX(address, handler, backlog, mode, wantPID)`.
 * `mode` is the socket file's permissions; `wantPID` asks for a lock file.
 *
 * @example
 * ```ts
 * await new UNIXServerEndpoint(reactor, '/tmp/echo.sock').listen(Echo);
 * ```
 */
export class UNIXServerEndpoint implements IStreamServerEndpoint {
  /** The reactor listening is delegated to. */
  readonly reactor: IReactorUNIX;
  /** The socket's path. */
  readonly address: string;
  /** The listen queue size. */
  readonly backlog: number;
  /** The socket file's mode (default `0o666`). */
  readonly mode: number;
  /** Whether to hold a `<address>.lock` file with our PID. */
  readonly wantPID: boolean;

  constructor(
    reactor: IReactorUNIX,
    address: string,
    backlog = DEFAULT_BACKLOG,
    mode = 0o666,
    wantPID = false,
  ) {
    this.reactor = reactor;
    this.address = address;
    this.backlog = backlog;
    this.mode = mode;
    this.wantPID = wantPID;
  }

  /** Listen, serving `handler`; rejects if the reactor cannot listen, or when `options.signal` aborts first. */
  listen(handler: Handler, options?: ListenOptions): Promise<IListeningPort> {
    return listenUnlessAborted(options, () =>
      this.reactor.listenUNIX(this.address, handler, this.backlog, this.mode, this.wantPID),
    );
  }
}

/**
 * A Unix-socket client endpoint, as Twisted's `UNIXClientEndpoint`:
 * `connect` calls `reactor.connectUNIX(path, factory, timeout, checkPID)`.
 *
 * @example
 * ```ts
 * const conn = await new UNIXClientEndpoint(reactor, '/tmp/echo.sock').connect();
 * ```
 */
export class UNIXClientEndpoint extends StreamClientEndpoint {
  /** The reactor connecting is delegated to. */
  readonly reactor: IReactorUNIX;
  /** The socket's path. */
  readonly path: string;
  /** Seconds before an attempt fails with `ConnectTimeoutError`. */
  readonly timeout: number;
  /** Whether to check the server's lock file first. */
  readonly checkPID: boolean;

  constructor(reactor: IReactorUNIX, path: string, timeout = 30, checkPID = false) {
    super();
    this.reactor = reactor;
    this.path = path;
    this.timeout = timeout;
    this.checkPID = checkPID;
  }

  protected startConnecting(factory: ClientFactory): IConnector {
    return this.reactor.connectUNIX(this.path, factory, this.timeout, this.checkPID);
  }
}
