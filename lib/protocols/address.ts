// Tests: tests/protocols/protocol.test.ts

/**
 * An IPv4/IPv6 endpoint address, as Twisted's `IPv4Address`/`IPv6Address`.
 *
 * @example
 * ```ts
 * const addr: InetAddress = { type: 'TCP', host: '127.0.0.1', port: 8080 };
 * ```
 */
export interface InetAddress {
  /** The transport kind: stream (`'TCP'`) or datagram (`'UDP'`). */
  type: 'TCP' | 'UDP';
  /** The host as a numeric address (or a name, for client destinations). */
  host: string;
  /** The port number. */
  port: number;
}

/** A Unix socket address, as Twisted's `UNIXAddress`; `name` is `null` for an unbound end. */
export interface UNIXAddress {
  type: 'UNIX';
  /** The socket's path, or `null` when unbound. */
  name: string | null;
}

/** Any address a transport reports from `getPeer()` / `getHost()`. */
export type Address = InetAddress | UNIXAddress;

/** How an address is written in logs: `host:port` (`[v6]:port`), or a Unix path. */
export function formatAddress(address: Address): string {
  const a = address as { type: string; host?: string; port?: number; name?: string };
  if (a.type === 'UNIX') return a.name ?? '';
  const host = a.host?.includes(':') ? `[${a.host}]` : a.host;
  return `${host}:${a.port}`;
}
