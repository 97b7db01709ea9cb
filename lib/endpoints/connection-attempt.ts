// Tests: tests/endpoints/endpoints.test.ts
import { AbortError, CancelledError } from '../defer/index.js';
import { Failure } from '../failure/index.js';
import {
  type Address,
  ClientFactory,
  type Connection,
  Factory,
  type Handler,
  forwardHalfClose,
  type IConnector,
  NoProtocol,
  Protocol,
  type StreamConnection,
  StreamFactory,
  toFactory,
} from '../protocols/index.js';

/** What a client endpoint's `connect` resolves with: the classic protocol, or the {@link Connection}. */
export type Connected = Protocol | Connection;

/** Options of a client endpoint's `connect`. */
export interface ConnectOptions {
  /**
   * Aborting it cancels the attempt: the connector stops and `connect`
   * rejects with an `AbortError` (a `CancelledError` named `'AbortError'`,
   * `cause`: the signal's reason), as Node's own APIs do.
   */
  signal?: AbortSignal;
}

/** How an {@link AttemptProtocol} settles its endpoint's promise. */
interface Settle {
  succeed(protocol: Protocol): void;
  fail(error: unknown): void;
}

/**
 * Relays everything to the protocol it wraps and settles its
 * {@link ConnectionAttempt} once connected, as Twisted's `_WrappingProtocol`.
 */
class AttemptProtocol extends Protocol {
  readonly #wrapped: Protocol;
  readonly #settle: Settle;

  /** Present only when the wrapped protocol handles half-close (`IHalfCloseableProtocol`). */
  readConnectionLost?: () => void;
  /** Present only when the wrapped protocol handles half-close (`IHalfCloseableProtocol`). */
  writeConnectionLost?: () => void;

  constructor(wrapped: Protocol, settle: Settle) {
    super();
    this.#wrapped = wrapped;
    this.#settle = settle;
    forwardHalfClose(this, wrapped);
  }

  override logPrefix(): string {
    return this.#wrapped.logPrefix();
  }

  /** Connect the wrapped protocol; if its `connectionMade` throws, the attempt fails with that error. */
  override connectionMade(): void {
    try {
      this.#wrapped.makeConnection(this.transport!);
    } catch (error) {
      this.#settle.fail(error);
      throw error;
    }
    this.#settle.succeed(this.#wrapped);
  }

  override dataReceived(data: Uint8Array): void {
    this.#wrapped.dataReceived(data);
  }

  override connectionLost(reason: Failure): void {
    this.#wrapped.connectionLost(reason);
  }
}

/**
 * One client endpoint connection attempt, as the client factory a client
 * endpoint hands to `connectTCP` and friends (Twisted's private
 * `_WrappingFactory`): it builds the user's protocol through the
 * wrapped factory, and its {@link result} settles with that protocol once
 * connected, or fails with the connection failure. Start/stop notifications
 * pass straight through to the wrapped factory.
 */
export class ConnectionAttempt extends ClientFactory {
  readonly #wrapped: Factory;
  readonly #result: Promise<Protocol>;
  #resolve!: (protocol: Protocol) => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  #connector: IConnector | undefined;

  constructor(wrapped: Factory) {
    super();
    this.noisy = false;
    this.#wrapped = wrapped;
    this.#result = new Promise<Protocol>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** The factory whose protocols this one wraps. */
  get wrappedFactory(): Factory {
    return this.#wrapped;
  }

  /** Resolves with the user's protocol once connected; rejects with the connection failure. */
  get result(): Promise<Protocol> {
    return this.#result;
  }

  /** True once {@link result} has settled (or is about to). */
  get settled(): boolean {
    return this.#settled;
  }

  override startedConnecting(connector: IConnector): void {
    this.#connector = connector;
  }

  override doStart(): void {
    this.#wrapped.doStart();
  }

  override doStop(): void {
    this.#wrapped.doStop();
  }

  /**
   * Build the wrapped factory's protocol, wrapped. A factory that throws or
   * returns `null` fails {@link result}; after the attempt was cancelled or
   * failed, the connection is refused (`null`).
   */
  override buildProtocol(addr: Address): Protocol | null {
    if (this.#settled) return null;
    let protocol: Protocol | null;
    try {
      protocol = this.#wrapped.buildProtocol(addr);
    } catch (error) {
      this.fail(error);
      return null;
    }
    if (protocol === null) {
      this.fail(new NoProtocol('the factory built no protocol (buildProtocol returned null)'));
      return null;
    }
    return new AttemptProtocol(protocol, {
      succeed: (p) => this.#succeed(p),
      fail: (error) => this.fail(error),
    });
  }

  override clientConnectionFailed(_connector: IConnector, reason: Failure): void {
    this.fail(reason.value);
  }

  /** Fail {@link result} with `error`, unless it has settled already. */
  fail(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(error instanceof Failure ? error.value : error);
  }

  /** Cancel the attempt: fail with `error` (a `CancelledError` unless given), then stop the connector. */
  cancel(error: Error = new CancelledError('connection attempt cancelled')): void {
    if (this.#settled) return;
    this.fail(error);
    try {
      this.#connector?.stopConnecting();
    } catch {
      // Not connecting any more: the attempt ended on its own.
    }
  }

  #succeed(protocol: Protocol): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve(protocol);
  }
}

/**
 * Run one client endpoint connection attempt: wrap `handler` (none: a bare
 * {@link StreamConnection}, from a handler-less `StreamFactory`) in a
 * {@link ConnectionAttempt}, start it with
 * `start` (which calls the reactor's connect method), and resolve with the
 * classic protocol, or with the `Connection` for stream handlers. Aborting
 * `options.signal` cancels; its listener is removed on every exit path.
 */
export function connectThrough(
  handler: Handler | undefined,
  options: ConnectOptions | undefined,
  start: (factory: ConnectionAttempt) => unknown,
): Promise<Connected> {
  const signal = options?.signal;
  if (signal?.aborted) return Promise.reject(AbortError.fromSignal(signal));
  const factory = new ConnectionAttempt(
    handler === undefined ? new StreamFactory() : toFactory(handler),
  );
  const onAbort = (): void => factory.cancel(AbortError.fromSignal(signal!));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    start(factory);
  } catch (error) {
    factory.fail(error);
  }
  return factory.result.finally(() => signal?.removeEventListener('abort', onAbort));
}

/** Split `connect(handler?, options?)` arguments, also accepting `connect(options)`. */
export function connectArguments(
  handlerOrOptions: Handler | ConnectOptions | undefined,
  options: ConnectOptions | undefined,
): [Handler | undefined, ConnectOptions | undefined] {
  if (
    handlerOrOptions !== undefined &&
    typeof handlerOrOptions !== 'function' &&
    !(handlerOrOptions instanceof Factory)
  ) {
    return [undefined, handlerOrOptions];
  }
  return [handlerOrOptions, options];
}
