// Tests: tests/protocols/policies/wrapping-factory.test.ts
import type { Failure } from '../../failure/index.js';
import type { Address } from '../address.js';
import type { Handler } from '../connection.js';
import { ClientFactory, type Factory, type IConnector } from '../factory.js';
import { toFactory } from '../handler.js';
import type { Protocol } from '../protocol.js';
import { ProtocolWrapper } from './protocol-wrapper.js';

/**
 * Wraps every protocol of another factory in a {@link ProtocolWrapper}, as
 * Twisted's `policies.WrappingFactory`: the base of the connection policies
 * ({@link TimeoutFactory}, {@link LimitTotalConnectionsFactory},
 * {@link LimitConnectionsByPeer}). It takes any handler (a factory, a
 * `Protocol` subclass or a stream protocol), so a policy goes around a server
 * in one line; policies nest. {@link protocols} holds the live wrappers.
 * Start/stop and client notifications pass through to the wrapped factory.
 *
 * @example
 * ```ts
 * class Spy extends WrappingFactory {
 *   override wrapProtocol(p: Protocol, addr: Address) {
 *     console.log('new connection');
 *     return super.wrapProtocol(p, addr);
 *   }
 * }
 * await listen('tcp:8000', new Spy(Echo));
 * ```
 */
export class WrappingFactory extends ClientFactory {
  /** The factory whose protocols are wrapped. */
  readonly wrappedFactory: Factory;
  /** The wrappers whose connection is live (registered, not yet lost). */
  readonly protocols = new Set<ProtocolWrapper>();

  /** Wrap `handler` (made a factory with `toFactory`). */
  constructor(handler: Handler) {
    super();
    this.wrappedFactory = toFactory(handler);
    this.noisy = false;
  }

  /** The wrapped factory's prefix, then this factory's class name. */
  override logPrefix(): string {
    return `${this.wrappedFactory.logPrefix()} (${this.constructor.name})`;
  }

  override doStart(): void {
    this.wrappedFactory.doStart();
    super.doStart();
  }

  override doStop(): void {
    this.wrappedFactory.doStop();
    super.doStop();
  }

  override startedConnecting(connector: IConnector): void {
    this.#client().startedConnecting?.(connector);
  }

  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    this.#client().clientConnectionFailed?.(connector, reason);
  }

  override clientConnectionLost(connector: IConnector, reason: Failure): void {
    this.#client().clientConnectionLost?.(connector, reason);
  }

  /** The wrapped factory seen as a client factory: whichever of its hooks it has. */
  #client(): Partial<ClientFactory> {
    return this.wrappedFactory as Partial<ClientFactory>;
  }

  /**
   * The wrapped factory's protocol for `addr`, wrapped by {@link wrapProtocol};
   * `null` (connection refused) when the wrapped factory refuses.
   */
  override buildProtocol(addr: Address): Protocol | null {
    const wrapped = this.wrappedFactory.buildProtocol(addr);
    return wrapped === null ? null : this.wrapProtocol(wrapped, addr);
  }

  /** Wrap one protocol: a plain {@link ProtocolWrapper} here; policies override it. */
  wrapProtocol(wrapped: Protocol, _addr: Address): ProtocolWrapper {
    return new ProtocolWrapper(this, wrapped);
  }

  /** Called by a wrapper once connected. */
  registerProtocol(p: ProtocolWrapper): void {
    this.protocols.add(p);
  }

  /** Called by a wrapper once its connection is lost. */
  unregisterProtocol(p: ProtocolWrapper): void {
    this.protocols.delete(p);
  }
}
