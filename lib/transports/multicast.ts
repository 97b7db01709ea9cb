// Multicast UDP ports on node:dgram, as twisted.internet.udp.MulticastPort.
// Tests: tests/transports/udp-multicast.test.ts
import * as dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DatagramProtocol, IMulticastTransport } from '../protocols/index.js';
import { started, UDPPort } from './udp.js';
import { InvalidAddressError, MulticastJoinError, toConnectError } from './errors.js';
import type { DatagramHandlerLike } from './udp-stream.js';

/**
 * A UDP port that can join multicast groups, as Twisted's `MulticastPort`;
 * `reactor.listenMulticast` binds it. With `listenMultiple`, several
 * sockets (in this or other processes) may bind the same port
 * (`SO_REUSEADDR`), and each receives the group's datagrams.
 *
 * Node offers no getters for the multicast socket options, so
 * {@link getTTL}, {@link getLoopbackMode} and {@link getOutgoingInterface}
 * report what was last set through this port (starting from the system
 * defaults: TTL 1, loopback on, any interface).
 *
 * @example
 * ```ts
 * const port = await reactor.listenMulticast(0, new MyProtocol(), '', 8192, true);
 * await port.joinGroup('225.0.0.250', '127.0.0.1');
 * port.setTTL(0); // never leave this host
 * port.write('hello', ['225.0.0.250', port.getHost().port]);
 * ```
 */
export class MulticastPort extends UDPPort implements IMulticastTransport {
  /** Whether other sockets may bind the same port (`SO_REUSEADDR`). */
  readonly listenMultiple: boolean;
  #ttl = 1;
  #loopback = true;
  #outgoing: string;

  /** A multicast port; nothing is bound until `startListening()` (see {@link UDPPort}). */
  constructor(
    port: number,
    protocol: DatagramProtocol,
    iface = '',
    maxPacketSize = 8192,
    listenMultiple = false,
  ) {
    super(port, protocol, iface, maxPacketSize);
    this.listenMultiple = listenMultiple;
    this.#outgoing = isIP(iface) === 6 ? '::' : '0.0.0.0';
  }

  protected override createSocket(type: dgram.SocketType): dgram.Socket {
    return dgram.createSocket({ type, reuseAddr: this.listenMultiple });
  }

  /**
   * Join the multicast group `addr` on the interface whose address is
   * `iface` (`''`: the system's choice), as Twisted's `joinGroup`. Names are
   * resolved first. Rejects with {@link MulticastJoinError} when the system
   * refuses (not a multicast address, already joined, ...).
   */
  joinGroup(addr: string, iface = ''): Promise<void> {
    return this.#membership(addr, iface, true);
  }

  /** Leave the multicast group `addr` on `iface`; rejects with {@link MulticastJoinError} if not a member. */
  leaveGroup(addr: string, iface = ''): Promise<void> {
    return this.#membership(addr, iface, false);
  }

  async #membership(addr: string, iface: string, join: boolean): Promise<void> {
    const group = await this.#resolve(addr);
    const local = iface === '' ? undefined : await this.#resolve(iface);
    const socket = this.openSocket();
    try {
      if (join) socket.addMembership(group, local);
      else socket.dropMembership(group, local);
    } catch (error) {
      throw new MulticastJoinError(group, local ?? '', error);
    }
  }

  /** `name` as a numeric address of this port's family (looked up when it is a host name). */
  async #resolve(name: string): Promise<string> {
    if (isIP(name) !== 0) return name;
    const family = this.getHost().host.includes(':') ? 6 : 4;
    try {
      return (await lookup(name, { family })).address;
    } catch (error) {
      throw toConnectError(error);
    }
  }

  /** Whether this host's own multicast datagrams are delivered back to it (on by default). */
  setLoopbackMode(mode: boolean | number): void {
    const on = Boolean(mode);
    this.openSocket().setMulticastLoopback(on);
    this.#loopback = on;
  }

  /** The loopback mode last set (`true` by default). */
  getLoopbackMode(): boolean {
    return this.#loopback;
  }

  /** Time-to-live (hops) of outgoing multicast datagrams, 0 to 255; 0 keeps them on this host. */
  setTTL(ttl: number): void {
    this.openSocket().setMulticastTTL(ttl);
    this.#ttl = ttl;
  }

  /** The multicast TTL last set (1 by default). */
  getTTL(): number {
    return this.#ttl;
  }

  /**
   * Send multicast datagrams from the interface whose address is `addr`
   * (names are resolved), as Twisted's `setOutgoingInterface`. Rejects with
   * {@link InvalidAddressError} when the system refuses it.
   */
  async setOutgoingInterface(addr: string): Promise<void> {
    const local = await this.#resolve(addr);
    try {
      this.openSocket().setMulticastInterface(local);
    } catch (error) {
      throw new InvalidAddressError(local, 'not usable as the outgoing multicast interface', {
        cause: error,
      });
    }
    this.#outgoing = local;
  }

  /** The outgoing multicast interface last set (`'0.0.0.0'`: the system's choice). */
  getOutgoingInterface(): string {
    return this.#outgoing;
  }
}

/**
 * Listen for (multicast) datagrams, as Twisted's `listenMulticast`
 * (`handler` as for `listenUDP`): resolves with the started
 * {@link MulticastPort}; rejects as `listenUDP`.
 */
export function listenMulticast(
  port: number,
  handler: DatagramHandlerLike,
  iface = '',
  maxPacketSize = 8192,
  listenMultiple = false,
): Promise<MulticastPort> {
  return started(
    handler,
    (protocol) => new MulticastPort(port, protocol, iface, maxPacketSize, listenMultiple),
  );
}
