// Tests: tests/protocols/factory.test.ts
import type { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import type { Address } from './address.js';
import { countPortStart, countPortStop } from './port-count.js';
import type { Protocol, ProtocolClass } from './protocol.js';

const log = new Logger('woven.protocols.factory');

/**
 * Builds a protocol for each connection, as Twisted's `Factory`. Ports and
 * connectors call {@link doStart}/{@link doStop}; the first start calls
 * {@link startFactory} and the last stop {@link stopFactory}.
 *
 * @example
 * ```ts
 * class Greeter extends Protocol {
 *   override connectionMade() {
 *     this.transport!.write('hello\r\n');
 *   }
 * }
 * const factory = Factory.forProtocol(Greeter);
 * ```
 */
export class Factory {
  /** The protocol class {@link buildProtocol} instantiates. */
  protocol?: ProtocolClass;
  /** How many ports/connectors currently use this factory. */
  numPorts = 0;
  /** Log when the factory starts and stops. */
  noisy = true;

  /**
   * Create a factory (`new this(...args)`) whose {@link protocol} is `protocol`.
   */
  static forProtocol<F extends Factory, A extends unknown[]>(
    this: new (
      ...args: A
    ) => F,
    protocol: ProtocolClass,
    ...args: A
  ): F {
    const factory = new this(...args);
    factory.protocol = protocol;
    return factory;
  }

  /** A prefix for log messages about this factory: its class name. */
  logPrefix(): string {
    return this.constructor.name;
  }

  /** `<ClassName>`, for log messages (as Twisted's `repr`). */
  toString(): string {
    return `<${this.logPrefix()}>`;
  }

  /** Count one more port; call {@link startFactory} on the first. Not for users. */
  doStart(): void {
    countPortStart(this, 'factory', log, () => this.startFactory());
  }

  /** Count one port fewer; call {@link stopFactory} on the last. Not for users. */
  doStop(): void {
    countPortStop(this, 'factory', log, () => this.stopFactory());
  }

  /** Called before the first port or connector starts using this factory. */
  startFactory(): void {}

  /** Called after the last port or connector stops using this factory. */
  stopFactory(): void {}

  /**
   * Build the protocol for a new connection from `addr` (the peer): an
   * instance of {@link protocol} whose `factory` is this one. Return `null`
   * to refuse the connection (it is closed at once).
   */
  buildProtocol(_addr: Address | null): Protocol | null {
    if (!this.protocol) throw new TypeError(`${this.logPrefix()}.protocol is not set`);
    const p = new this.protocol();
    p.factory = this;
    return p;
  }
}

/**
 * Something that makes (and remakes) an outgoing connection, as Twisted's
 * `IConnector`; `connectTCP` and friends return one.
 */
export interface IConnector {
  /** Start (or restart) connecting. */
  connect(): void;
  /** Disconnect if connected; stop connecting if connecting. */
  disconnect(): void;
  /** Stop an attempt in progress; throws when not connecting. */
  stopConnecting(): void;
  /** Where this connector connects to. */
  getDestination(): Address;
  /** `'disconnected' | 'connecting' | 'connected'`, when the connector tracks it. */
  state?: string;
}

/**
 * A factory for outgoing connections, as Twisted's `ClientFactory`: it also
 * hears about connection attempts and their outcome.
 */
export class ClientFactory extends Factory {
  /** A connection attempt has started; `connector.stopConnecting()` may cancel it. */
  startedConnecting(_connector: IConnector): void {}

  /** A connection attempt failed; calling `connector.connect()` retries. */
  clientConnectionFailed(_connector: IConnector, _reason: Failure): void {}

  /** An established connection was lost; calling `connector.connect()` reconnects. */
  clientConnectionLost(_connector: IConnector, _reason: Failure): void {}
}
