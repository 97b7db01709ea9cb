// Tests: tests/protocols/policies/limits.test.ts
import { Logger } from '../../log/index.js';
import type { Address } from '../address.js';
import type { Handler } from '../connection.js';
import type { Protocol } from '../protocol.js';
import type { ProtocolWrapper } from './protocol-wrapper.js';
import { WrappingFactory } from './wrapping-factory.js';

const log = new Logger('woven.policies');

/** The key connections are counted under: the peer's host (a Unix socket's path). */
function peerKey(addr: Address): string {
  return addr.type === 'UNIX' ? String(addr.name) : addr.host;
}

/**
 * Cap the number of simultaneous connections from each peer host around any
 * handler, as Twisted's `policies.LimitConnectionsByPeer`: a host already at
 * {@link maxConnectionsPerPeer} connections has its new one closed at once
 * (logged under `woven.policies`), while other hosts are still served.
 *
 * @example
 * ```ts
 * await listen('tcp:8000', new LimitConnectionsByPeer(echo, 5));
 * ```
 */
export class LimitConnectionsByPeer extends WrappingFactory {
  /** The maximum number of simultaneous connections from one host. */
  maxConnectionsPerPeer: number;
  /** Open connections by peer host. */
  readonly peerConnections = new Map<string, number>();
  readonly #hosts = new WeakMap<ProtocolWrapper, string>();

  constructor(handler: Handler, maxConnectionsPerPeer = 5) {
    super(handler);
    this.maxConnectionsPerPeer = maxConnectionsPerPeer;
  }

  /** The wrapped handler's protocol, or `null` (refused) when `addr`'s host is at the limit. */
  override buildProtocol(addr: Address): Protocol | null {
    const host = peerKey(addr);
    const count = this.peerConnections.get(host) ?? 0;
    if (count >= this.maxConnectionsPerPeer) {
      log.warn('Refusing connection from {peer}: {count} connections from {host} (limit {limit})', {
        peer: addr,
        host,
        count,
        limit: this.maxConnectionsPerPeer,
      });
      return null;
    }
    const p = super.buildProtocol(addr);
    if (p === null) return null;
    this.peerConnections.set(host, count + 1);
    this.#hosts.set(p as ProtocolWrapper, host);
    return p;
  }

  override unregisterProtocol(p: ProtocolWrapper): void {
    super.unregisterProtocol(p);
    const host = this.#hosts.get(p);
    if (host === undefined) return;
    this.#hosts.delete(p);
    const count = (this.peerConnections.get(host) ?? 1) - 1;
    if (count > 0) this.peerConnections.set(host, count);
    else this.peerConnections.delete(host);
  }
}
