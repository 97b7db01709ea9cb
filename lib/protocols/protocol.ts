// Tests: tests/protocols/protocol.test.ts
import type { Failure } from '../failure/index.js';
import type { Factory } from './factory.js';
import type { ITransport } from './transport.js';

/**
 * The root of all protocols, as Twisted's `BaseProtocol`: it is given a
 * transport by {@link makeConnection}.
 */
export class BaseProtocol {
  /** True once {@link makeConnection} has run (Twisted's `connected`). */
  connected = false;
  /** The transport, set by {@link makeConnection}. */
  transport: ITransport | null = null;

  /**
   * Attach to `transport`: set {@link transport} and {@link connected}, then
   * call {@link connectionMade}. Called by transports, not by users.
   */
  makeConnection(transport: ITransport): void {
    this.connected = true;
    this.transport = transport;
    this.connectionMade();
  }

  /** Called once the connection is made; send a greeting here. Does nothing by default. */
  connectionMade(): void {}
}

/**
 * A classic connection-oriented protocol, as Twisted's `Protocol`: override
 * {@link dataReceived} and {@link connectionLost}; write through
 * {@link transport}.
 *
 * @example
 * ```ts
 * class Echo extends Protocol {
 *   override dataReceived(data: Uint8Array) {
 *     this.transport!.write(data);
 *   }
 * }
 * await listen('tcp:8000', Echo);
 * ```
 */
export class Protocol extends BaseProtocol {
  /** The factory that built this protocol, set by `Factory.buildProtocol`. */
  factory: Factory | null = null;

  /** A prefix for log messages about this protocol: its class name. */
  logPrefix(): string {
    return this.constructor.name;
  }

  /**
   * Called with each chunk received. Chunk boundaries are arbitrary: buffer
   * partial messages. Does nothing by default.
   */
  dataReceived(_data: Uint8Array): void {}

  /**
   * Called once when the connection is gone. `reason` wraps `ConnectionDone`
   * (clean close) or `ConnectionLost` (unclean). Does nothing by default.
   */
  connectionLost(_reason: Failure): void {}
}

/** A {@link Protocol} subclass constructible with no arguments. */
export type ProtocolClass<P extends Protocol = Protocol> = new () => P;
