// Tests: tests/protocols/policies/wrapping-factory.test.ts
import type { Failure } from '../../failure/index.js';
import type { Address } from '../address.js';
import { forwardHalfClose } from '../half-close.js';
import { Protocol } from '../protocol.js';
import { type IServerStoppingProtocol, tellServerStopping } from '../server-stopping.js';
import {
  type Data,
  type IPullProducer,
  type IPushProducer,
  type ITransport,
  isTLSTransport,
  type StartTLSOptions,
} from '../transport.js';
import type { WrappingFactory } from './wrapping-factory.js';

/**
 * Sits between a transport and the protocol it wraps, as Twisted's
 * `policies.ProtocolWrapper`: to the transport it is the protocol, to the
 * wrapped protocol it is the transport. Everything passes straight through;
 * subclasses override a method to watch or change the traffic. It registers
 * with its {@link WrappingFactory} when connected and unregisters when lost.
 * It offers half-close (`loseWriteConnection`, `readConnectionLost`) and
 * `startTLS` only when the layer it forwards to has them.
 */
export class ProtocolWrapper extends Protocol implements ITransport, IServerStoppingProtocol {
  /** The protocol this one wraps. */
  readonly wrappedProtocol: Protocol;
  readonly #wrappingFactory: WrappingFactory;

  /** Half-close our write side; present when the underlying transport has it. */
  loseWriteConnection?: () => void;
  /** Switch to TLS; present when the underlying transport supports it. */
  startTLS?: (options: StartTLSOptions, pending?: Uint8Array) => Promise<void>;
  /** Present only when the wrapped protocol handles half-close. */
  readConnectionLost?: () => void;
  /** Present only when the wrapped protocol handles half-close. */
  writeConnectionLost?: () => void;

  constructor(factory: WrappingFactory, wrappedProtocol: Protocol) {
    super();
    this.#wrappingFactory = factory;
    this.factory = factory;
    this.wrappedProtocol = wrappedProtocol;
    forwardHalfClose(this, wrappedProtocol);
  }

  /** The wrapped protocol's prefix, then this wrapper's class name. */
  override logPrefix(): string {
    return `${this.wrappedProtocol.logPrefix()} (${this.constructor.name})`;
  }

  /** Attach to `transport`, mirroring its optional abilities, then connect the wrapped protocol. */
  override makeConnection(transport: ITransport): void {
    if (typeof transport.loseWriteConnection === 'function') {
      this.loseWriteConnection = () => this.halfCloseWrites();
    }
    if (isTLSTransport(transport)) {
      this.startTLS = (options, pending) => transport.startTLS(options, pending);
    }
    super.makeConnection(transport);
  }

  /** Register with the factory and hand the wrapped protocol this wrapper as its transport. */
  override connectionMade(): void {
    this.#wrappingFactory.registerProtocol(this);
    this.wrappedProtocol.makeConnection(this);
  }

  // --- protocol side (called by the transport) ---

  override dataReceived(data: Uint8Array): void {
    this.wrappedProtocol.dataReceived(data);
  }

  /** Pass the server's stop on to the wrapped protocol (closing it, for a classic one). */
  serverStopping(reason: Error): void {
    tellServerStopping(this.wrappedProtocol, reason);
  }

  /** Unregister from the factory, then tell the wrapped protocol. */
  override connectionLost(reason: Failure): void {
    this.#wrappingFactory.unregisterProtocol(this);
    this.wrappedProtocol.connectionLost(reason);
  }

  // --- transport side (called by the wrapped protocol) ---

  write(data: Data): void {
    this.transport!.write(data);
  }

  writeSequence(data: Iterable<Data>): void {
    this.transport!.writeSequence(data);
  }

  loseConnection(): void {
    this.transport!.loseConnection();
  }

  /** What `loseWriteConnection` does: half-close the transport (a policy may delay it). */
  protected halfCloseWrites(): void {
    this.transport!.loseWriteConnection!();
  }

  abortConnection(): void {
    this.transport!.abortConnection();
  }

  getPeer(): Address {
    return this.transport!.getPeer();
  }

  getHost(): Address {
    return this.transport!.getHost();
  }

  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.transport!.registerProducer(producer, streaming);
  }

  unregisterProducer(): void {
    this.transport!.unregisterProducer();
  }

  pauseProducing(): void {
    this.transport!.pauseProducing();
  }

  resumeProducing(): void {
    this.transport!.resumeProducing();
  }

  stopProducing(): void {
    this.transport!.stopProducing();
  }
}
