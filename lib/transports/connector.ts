// Tests: tests/transports/connector.test.ts
import type { Socket } from 'node:net';
import { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import {
  type Address,
  type ClientFactory,
  type Factory,
  type IConnector,
  Protocol,
} from '../protocols/index.js';
import type { IDelayedCall, IReactorTime } from '../time/index.js';
import {
  ConnectTimeoutError,
  NotConnectingError,
  ConnectError,
  ConnectorStateError,
  toConnectError,
  toTLSError,
  UserError,
} from './errors.js';
import { SocketTransport } from './socket-transport.js';

const log = new Logger('woven.transports.connector');

/** How a {@link Connector} makes one connection attempt. */
export interface DialSpec {
  /** `'TCP'` or `'UNIX'`: the kind of addresses reported. */
  kind: 'TCP' | 'UNIX';
  /** Where the connector connects to, as `getDestination()` reports it. */
  destination: Address;
  /** Start one attempt: a socket that is connecting. */
  dial(): Socket;
  /** True for TLS: the connection is made after the handshake (`'secureConnect'`). */
  tls?: boolean;
  /**
   * Checked before each attempt; return an error to fail the attempt at once
   * (e.g. `connectUNIX` with `checkPID` and no live server).
   */
  precheck?: () => ConnectError | undefined;
}

/** The state of a {@link Connector}, as Twisted's. */
export type ConnectorState = 'disconnected' | 'connecting' | 'connected';

type ClientHooks = Partial<
  Pick<ClientFactory, 'startedConnecting' | 'clientConnectionFailed' | 'clientConnectionLost'>
>;

/**
 * Makes (and can remake) one outgoing connection for a client factory, as
 * Twisted's `IConnector`: returned by `connectTCP`, `connectSSL` and
 * `connectUNIX`. It calls the factory's `startedConnecting`, then
 * `buildProtocol` once connected (for TLS, once the handshake and the
 * certificate check succeed), `clientConnectionFailed` with a
 * {@link ConnectError} subclass (`ConnectionRefusedError`,
 * `ConnectTimeoutError`, `DNSLookupError`, `TLSError`, ...) or
 * `clientConnectionLost`; calling {@link connect} from those retries, which
 * is what `ReconnectingClientFactory` does.
 *
 * @example
 * ```ts
 * const connector = reactor.connectTCP('127.0.0.1', 8000, new MyClientFactory(), 5);
 * // later:
 * connector.disconnect();
 * ```
 */
export class Connector implements IConnector {
  /** `'disconnected'`, `'connecting'` or `'connected'`. */
  state: ConnectorState = 'disconnected';
  /** The factory this connector builds protocols with. */
  readonly factory: Factory;
  /** Seconds before an attempt fails with {@link ConnectTimeoutError}; `null` for none. */
  readonly timeout: number | null;
  readonly #clock: IReactorTime;
  readonly #spec: DialSpec;
  #factoryStarted = false;
  #socket: Socket | null = null;
  #timer: IDelayedCall | null = null;
  #transport: SocketTransport | null = null;
  #detachAttempt: (() => void) | null = null;

  constructor(spec: DialSpec, factory: Factory, timeout: number | null, clock: IReactorTime) {
    this.#spec = spec;
    this.factory = factory;
    this.timeout = timeout;
    this.#clock = clock;
  }

  /** The transport of the current connection, while connected. */
  get transport(): SocketTransport | null {
    return this.#transport;
  }

  /** Start connecting. Throws when not `'disconnected'`. */
  connect(): void {
    if (this.state !== 'disconnected') throw new ConnectorStateError(this.state);
    this.state = 'connecting';
    if (!this.#factoryStarted) {
      this.factory.doStart();
      this.#factoryStarted = true;
    }
    this.#attempt();
    (this.factory as ClientHooks).startedConnecting?.(this);
  }

  #attempt(): void {
    const failure = this.#spec.precheck?.();
    if (failure !== undefined) {
      // Fail after startedConnecting, as a refused socket would.
      queueMicrotask(() => {
        if (this.state === 'connecting' && this.#socket === null) this.#failed(failure);
      });
      return;
    }
    const socket = this.#spec.dial();
    this.#socket = socket;
    if (this.timeout !== null) {
      this.#timer = this.#clock.callLater(this.timeout, () => {
        this.#timer = null;
        this.#abandon(
          new ConnectTimeoutError(`Connection timed out after ${this.timeout} seconds`),
        );
      });
    }
    const tls = this.#spec.tls === true;
    let tcpConnected = false;
    const onTCP = () => {
      tcpConnected = true;
    };
    const onReady = () => {
      this.#clearAttempt();
      this.#connected(socket);
    };
    const onError = (error: Error) => {
      const reason = tls && tcpConnected ? toTLSError(error) : toConnectError(error);
      this.#abandon(reason);
    };
    const onClose = () => this.#abandon(new ConnectError('connection closed while connecting'));
    const ready = tls ? 'secureConnect' : 'connect';
    socket.once(ready, onReady);
    socket.once('error', onError);
    socket.once('close', onClose);
    // For TLS, the TCP socket underneath (`_parent`) says when the handshake starts.
    const tcp = tls ? ((socket as { _parent?: Socket })._parent ?? socket) : socket;
    if (tls) tcp.once('connect', onTCP);
    this.#detachAttempt = () => {
      socket.off(ready, onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
      tcp.off('connect', onTCP);
    };
  }

  #clearAttempt(): void {
    this.#detachAttempt?.();
    this.#detachAttempt = null;
    if (this.#timer !== null) {
      if (this.#timer.active()) this.#timer.cancel();
      this.#timer = null;
    }
  }

  /** End the attempt in progress with `reason`. */
  #abandon(reason: ConnectError): void {
    const socket = this.#socket;
    this.#clearAttempt();
    this.#socket = null;
    if (socket !== null) {
      socket.on('error', ignore); // a late error from the abandoned socket
      socket.destroy();
    }
    this.#failed(reason);
  }

  #connected(socket: Socket): void {
    this.state = 'connected';
    const spec = this.#spec;
    const peer: Address =
      spec.kind === 'UNIX'
        ? spec.destination
        : { type: 'TCP', host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    let protocol: Protocol | null = null;
    let buildError: unknown;
    try {
      protocol = this.factory.buildProtocol(peer);
    } catch (error) {
      buildError = error;
      log.failure('Error in {factory}.buildProtocol', error, { factory: this.factory.logPrefix() });
    }
    const transport = new SocketTransport(
      socket,
      protocol ?? new Protocol(),
      {
        isServer: false,
        kind: spec.kind,
        unixPath:
          spec.kind === 'UNIX' && spec.destination.type === 'UNIX' ? spec.destination.name : null,
        onLost: (reason) => this.#lost(reason),
      },
      peer,
    );
    this.#transport = transport;
    transport.start();
    if (buildError !== undefined) transport.abortConnection();
    else if (protocol === null) transport.loseConnection();
  }

  #failed(reason: ConnectError): void {
    this.#socket = null;
    this.state = 'disconnected';
    this.#notify('clientConnectionFailed', new Failure(reason));
  }

  #lost(reason: Failure): void {
    this.#socket = null;
    this.#transport = null;
    this.state = 'disconnected';
    this.#notify('clientConnectionLost', reason);
  }

  #notify(hook: 'clientConnectionFailed' | 'clientConnectionLost', reason: Failure): void {
    try {
      (this.factory as ClientHooks)[hook]?.(this, reason);
    } catch (error) {
      log.failure('Error in {factory}.{hook}', error, { factory: this.factory.logPrefix(), hook });
    }
    // The hook may have called connect() again (a reconnecting factory).
    if (this.state === 'disconnected' && this.#factoryStarted) {
      this.#factoryStarted = false;
      this.factory.doStop();
    }
  }

  /** Stop the attempt in progress: it fails with {@link UserError}. Throws {@link NotConnectingError} when not connecting. */
  stopConnecting(): void {
    if (this.state !== 'connecting') throw new NotConnectingError("we're not trying to connect");
    this.#abandon(new UserError('User aborted connection'));
  }

  /** Stop connecting, or close the connection gracefully (`loseConnection`). */
  disconnect(): void {
    if (this.state === 'connecting') this.stopConnecting();
    else if (this.state === 'connected') this.#transport?.loseConnection();
  }

  /** Where this connector connects to. */
  getDestination(): Address {
    return this.#spec.destination;
  }
}

function ignore(): void {}
