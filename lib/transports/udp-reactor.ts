// Adds the UDP methods (listenUDP, listenMulticast; DESIGN.md section 4) to
// the core Reactor, as network-reactor.ts does for the stream transports.
// Tests: tests/transports/udp.test.ts, tests/transports/udp-multicast.test.ts
import { Reactor } from '../time/index.js';
import { listenMulticast, type MulticastPort } from './multicast.js';
import { listenUDP, type UDPPort } from './udp.js';
import type { DatagramHandlerLike } from './udp-stream.js';

declare module '../time/reactor.js' {
  interface Reactor {
    /**
     * Listen for datagrams, as Twisted's `listenUDP`: `handler` is a
     * `DatagramProtocol` (or its class) or a stream-style `DatagramHandler`
     * (an async generator function of a `DatagramSocket`). `port` 0 picks a free
     * port; `iface` `''` means every IPv4 interface (an IPv6 address makes
     * an IPv6 port). Datagrams longer than `maxPacketSize` are truncated to
     * it. Resolves once `protocol.startProtocol()` has run; rejects with
     * `CannotListenError` when the address cannot be bound.
     *
     * @example
     * ```ts
     * const port = await reactor.listenUDP(0, new EchoUDP(), '127.0.0.1');
     * ```
     */
    listenUDP(
      port: number,
      handler: DatagramHandlerLike,
      iface?: string,
      maxPacketSize?: number,
    ): Promise<UDPPort>;
    /**
     * Listen for datagrams on a port that can join multicast groups, as
     * Twisted's `listenMulticast`; `listenMultiple` lets other sockets bind
     * the same port.
     *
     * @example
     * ```ts
     * const port = await reactor.listenMulticast(0, new Listener(), '', 8192, true);
     * await port.joinGroup('225.0.0.250', '127.0.0.1');
     * ```
     */
    listenMulticast(
      port: number,
      handler: DatagramHandlerLike,
      iface?: string,
      maxPacketSize?: number,
      listenMultiple?: boolean,
    ): Promise<MulticastPort>;
  }
}

const proto = Reactor.prototype;

proto.listenUDP = function listenUDPMethod(port, handler, iface = '', maxPacketSize = 8192) {
  return listenUDP(port, handler, iface, maxPacketSize);
};

proto.listenMulticast = function listenMulticastMethod(
  port,
  handler,
  iface = '',
  maxPacketSize = 8192,
  listenMultiple = false,
) {
  return listenMulticast(port, handler, iface, maxPacketSize, listenMultiple);
};
