// Tests: tests/endpoints/wrap-tls.test.ts
import type { ConnectionOptions } from 'node:tls';
import { AbortError } from '../defer/index.js';
import type { Failure } from '../failure/index.js';
import {
  type Address,
  Factory,
  type Handler,
  isTLSTransport,
  Protocol,
  type StartTLSOptions,
  StreamConnection,
  toFactory,
} from '../protocols/index.js';
import type { IStreamClientEndpoint } from './interfaces.js';
import { type ConnectOptions, type Connected, connectArguments } from './connection-attempt.js';

/**
 * Starts TLS on its transport as soon as it is connected, and connects the
 * user's protocol once the handshake is done; then relays everything to it.
 */
class StartTLSProtocol extends Protocol {
  readonly #wrapped: Protocol;
  readonly #options: ConnectionOptions;
  /** Settles once the handshake is done and the user's protocol connected. */
  readonly secured: Promise<Protocol>;
  #resolve!: (p: Protocol) => void;
  #reject!: (e: unknown) => void;
  #ready = false;

  constructor(wrapped: Protocol, options: ConnectionOptions) {
    super();
    this.#wrapped = wrapped;
    this.#options = options;
    this.secured = new Promise<Protocol>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.secured.catch(() => {});
  }

  override connectionMade(): void {
    const transport = this.transport!;
    if (!isTLSTransport(transport)) {
      this.#reject(new TypeError('the wrapped endpoint transport cannot start TLS'));
      transport.abortConnection();
      return;
    }
    transport.startTLS({ ...this.#options, isServer: false } as StartTLSOptions).then(
      () => this.#connectWrapped(),
      (error: unknown) => this.#reject(error),
    );
  }

  #connectWrapped(): void {
    try {
      this.#wrapped.makeConnection(this.transport!);
    } catch (error) {
      this.#reject(error);
      this.transport!.abortConnection();
      return;
    }
    this.#ready = true;
    this.#resolve(this.#wrapped);
  }

  override dataReceived(data: Uint8Array): void {
    if (this.#ready) this.#wrapped.dataReceived(data);
  }

  override connectionLost(reason: Failure): void {
    this.#reject(reason.value);
    if (this.#ready) this.#wrapped.connectionLost(reason);
  }

  /** Abort the connection (the attempt was cancelled during the handshake) and fail with `error`. */
  abort(error: Error): void {
    this.#reject(error);
    this.transport?.abortConnection();
  }
}

/**
 * A client endpoint that connects through another one and then starts TLS
 * on the connection before handing it to the handler, as Twisted's
 * `wrapClientTLS`. `connect` resolves once the handshake is done (the
 * certificate is verified for `tlsOptions.servername` / `host`).
 */
export class TLSWrapperClientEndpoint implements IStreamClientEndpoint {
  /** Node TLS client options used for the handshake. */
  readonly tlsOptions: ConnectionOptions;
  /** The endpoint making the underlying connection. */
  readonly wrappedEndpoint: IStreamClientEndpoint;

  constructor(tlsOptions: ConnectionOptions, wrappedEndpoint: IStreamClientEndpoint) {
    this.tlsOptions = tlsOptions;
    this.wrappedEndpoint = wrappedEndpoint;
  }

  /** Connect, start TLS, then resolve with the protocol (classic handler) or the `Connection`. */
  async connect(handler?: Handler | ConnectOptions, options?: ConnectOptions): Promise<Connected> {
    const [userHandler, opts] = connectArguments(handler, options);
    const inner = userHandler === undefined ? undefined : toFactory(userHandler);
    const tlsOptions = this.tlsOptions;
    class StartTLSFactory extends Factory {
      override buildProtocol(addr: Address): Protocol | null {
        const wrapped = inner === undefined ? new StreamConnection() : inner.buildProtocol(addr);
        return wrapped === null ? null : new StartTLSProtocol(wrapped, tlsOptions);
      }
    }
    const starter = (await this.wrappedEndpoint.connect(
      new StartTLSFactory(),
      opts,
    )) as StartTLSProtocol;
    const signal = opts?.signal;
    const onAbort = (): void => starter.abort(AbortError.fromSignal(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    try {
      return await starter.secured;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * Wrap a client endpoint so each connection upgrades to TLS at once, as
 * Twisted's `wrapClientTLS`; `tlsOptions` are Node's `tls.connect` options.
 *
 * @example
 * ```ts
 * const ep = wrapClientTLS({ servername: 'example.com' }, clientFromString(reactor, 'tcp:10.0.0.5:443'));
 * const conn = await ep.connect();
 * ```
 */
export function wrapClientTLS(
  tlsOptions: ConnectionOptions,
  wrappedEndpoint: IStreamClientEndpoint,
): TLSWrapperClientEndpoint {
  return new TLSWrapperClientEndpoint(tlsOptions, wrappedEndpoint);
}
