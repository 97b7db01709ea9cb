// Tests: tests/protocols/policies/limits.test.ts
import { Logger } from '../../log/index.js';
import type { Address } from '../address.js';
import type { Handler } from '../connection.js';
import type { Protocol, ProtocolClass } from '../protocol.js';
import type { ProtocolWrapper } from './protocol-wrapper.js';
import { WrappingFactory } from './wrapping-factory.js';

const log = new Logger('woven.policies');

/** Options of {@link LimitTotalConnectionsFactory}. */
export interface LimitTotalOptions {
  /**
   * The protocol excess connections get instead of being closed (e.g. one
   * that writes "busy, try later" and closes); it counts as a connection.
   */
  overflowProtocol?: ProtocolClass;
}

/**
 * Cap the number of simultaneous connections around any handler, as
 * Twisted's `policies.LimitTotalConnectionsFactory`: while
 * {@link connectionCount} is at {@link connectionLimit}, a new connection is
 * closed at once (and logged under `woven.policies`), or given the
 * `overflowProtocol` when one is set. `null` means no limit.
 *
 * @example
 * ```ts
 * await listen('tcp:8000', new LimitTotalConnectionsFactory(echo, 1000));
 * ```
 */
export class LimitTotalConnectionsFactory extends WrappingFactory {
  /** The maximum number of simultaneous connections, or `null` for none. */
  connectionLimit: number | null;
  /** The protocol excess connections get, if any. */
  overflowProtocol: ProtocolClass | null;
  /** Connections accepted and not yet lost. */
  connectionCount = 0;

  constructor(
    handler: Handler,
    connectionLimit: number | null = null,
    options: LimitTotalOptions = {},
  ) {
    super(handler);
    this.connectionLimit = connectionLimit;
    this.overflowProtocol = options.overflowProtocol ?? null;
  }

  /** The wrapped handler's protocol while under the limit; else the overflow protocol, or `null`. */
  override buildProtocol(addr: Address): Protocol | null {
    let wrapped: Protocol | null;
    if (this.connectionLimit === null || this.connectionCount < this.connectionLimit) {
      wrapped = this.wrappedFactory.buildProtocol(addr);
    } else if (this.overflowProtocol !== null) {
      wrapped = new this.overflowProtocol();
      wrapped.factory = this;
    } else {
      log.warn('Refusing connection from {peer}: {count} connections open (limit {limit})', {
        peer: addr,
        count: this.connectionCount,
        limit: this.connectionLimit,
      });
      return null;
    }
    if (wrapped === null) return null;
    this.connectionCount += 1;
    return this.wrapProtocol(wrapped, addr);
  }

  override unregisterProtocol(p: ProtocolWrapper): void {
    super.unregisterProtocol(p);
    this.connectionCount -= 1;
  }
}
