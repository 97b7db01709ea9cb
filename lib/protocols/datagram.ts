// Tests: tests/protocols/datagram.test.ts
import { Logger } from '../log/index.js';
import type { Address, InetAddress } from './address.js';
import { ProtocolInUseError } from './errors.js';
import { countPortStart, countPortStop } from './port-count.js';
import type { Data } from './transport.js';

const log = new Logger('woven.protocols.datagram');

/**
 * Where a datagram goes: a numeric host and a port, as Twisted's
 * `(host, port)` tuple, or an address object such as the one
 * `datagramReceived` gets (`{host, port}`).
 */
export type DatagramAddress =
  | readonly [host: string, port: number]
  | { readonly host: string; readonly port: number };

/**
 * A datagram (UDP) transport, as Twisted's `IUDPTransport`; `listenUDP`
 * gives one to its protocol.
 */
export interface IUDPTransport {
  /**
   * Send one packet to `addr` (`[host, port]` or `{host, port}`, host
   * numeric), or to the connected peer when omitted.
   */
  write(packet: Data, addr?: DatagramAddress): void;
  /** Restrict this port to one peer: packets from others are dropped. */
  connect(host: string, port: number): void;
  /** The local address. */
  getHost(): Address;
  /** Stop listening; resolves once the port is closed. */
  stopListening(): Promise<void>;
  /** Same as {@link stopListening}, as Twisted's alias. */
  loseConnection(): void;
  /** Allow sending to broadcast addresses. */
  setBroadcastAllowed(enabled: boolean): void;
  /** Whether sending to broadcast addresses is allowed. */
  getBroadcastAllowed(): boolean;
}

/** A multicast-capable UDP transport, as Twisted's `IMulticastTransport`. */
export interface IMulticastTransport extends IUDPTransport {
  /** Join the multicast group `addr`, optionally on interface `iface`. */
  joinGroup(addr: string, iface?: string): Promise<void>;
  /** Leave the multicast group `addr`. */
  leaveGroup(addr: string, iface?: string): Promise<void>;
  /** Whether our own multicast packets are looped back to us. */
  setLoopbackMode(mode: boolean): void;
  /** The loopback mode. */
  getLoopbackMode(): boolean;
  /** Time-to-live of outgoing multicast packets. */
  setTTL(ttl: number): void;
  /** The multicast TTL. */
  getTTL(): number;
  /** The interface outgoing multicast packets leave from. */
  setOutgoingInterface(addr: string): Promise<void>;
  /** The outgoing multicast interface. */
  getOutgoingInterface(): string;
}

/**
 * A protocol for datagrams, as Twisted's `DatagramProtocol`: override
 * {@link datagramReceived}; send with `this.transport.write(packet, [host, port])`.
 *
 * @example
 * ```ts
 * class EchoUDP extends DatagramProtocol {
 *   override datagramReceived(data: Uint8Array, addr: InetAddress) {
 *     this.transport!.write(data, addr); // or [addr.host, addr.port]
 *   }
 * }
 * await reactor.listenUDP(9999, new EchoUDP());
 * ```
 */
export class DatagramProtocol {
  /** The transport, set by {@link makeConnection} and cleared by the last {@link doStop}. */
  transport: IUDPTransport | null = null;
  /** How many ports currently use this protocol. */
  numPorts = 0;
  /** Log when the protocol starts and stops. */
  noisy = true;

  /** A prefix for log messages about this protocol: its class name. */
  logPrefix(): string {
    return this.constructor.name;
  }

  /** `<ClassName>`, for log messages (as Twisted's `repr`). */
  toString(): string {
    return `<${this.logPrefix()}>`;
  }

  /** Attach to `transport` and start ({@link doStart}). Called by ports, not by users. */
  makeConnection(transport: IUDPTransport): void {
    if (this.transport !== null)
      throw new ProtocolInUseError(`${this.logPrefix()} already has a transport`);
    this.transport = transport;
    this.doStart();
  }

  /** Count one more port; call {@link startProtocol} on the first. */
  doStart(): void {
    countPortStart(this, 'protocol', log, () => this.startProtocol());
  }

  /** Count one port fewer and drop the transport; call {@link stopProtocol} on the last. */
  doStop(): void {
    if (this.numPorts > 0) this.transport = null;
    countPortStop(this, 'protocol', log, () => this.stopProtocol());
  }

  /** Called when the protocol starts listening. */
  startProtocol(): void {}

  /** Called when the protocol stops listening. */
  stopProtocol(): void {}

  /** Called with each datagram and the address it came from. */
  datagramReceived(_datagram: Uint8Array, _addr: InetAddress): void {}

  /** Called (on a connected port) when a packet was refused (ICMP port unreachable). */
  connectionRefused(): void {}
}
