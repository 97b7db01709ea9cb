// UDP ports on node:dgram, as twisted.internet.udp.Port: a bound datagram
// socket that is both the listening port and its protocol's transport.
// Tests: tests/transports/udp.test.ts
import * as dgram from 'node:dgram';
import { isIP } from 'node:net';
import { Logger } from '../log/index.js';
import {
  ConnectionClosedError,
  type Data,
  type DatagramAddress,
  type DatagramProtocol,
  type InetAddress,
  type IUDPTransport,
  toBytes,
} from '../protocols/index.js';
import {
  AlreadyConnectedError,
  AlreadyListeningError,
  CannotListenError,
  InvalidAddressError,
  MessageLengthError,
  NotListeningError,
  nodeErrorCode,
} from './errors.js';
import {
  type DatagramHandler,
  type DatagramHandlerLike,
  toDatagramProtocol,
} from './udp-stream.js';

const log = new Logger('woven.transports.udp');

/** The largest UDP payload: 65,535 minus the UDP header and the IPv4 header (IPv6 has no header in the count). */
const maxPayload = { udp4: 65_507, udp6: 65_527 } as const;

/** Node's socket type for a listening interface: `''` and IPv4 addresses are `udp4`, IPv6 ones `udp6`. */
function socketTypeFor(iface: string): dgram.SocketType {
  if (iface === '' || isIP(iface) === 4) return 'udp4';
  if (isIP(iface) === 6) return 'udp6';
  throw new InvalidAddressError(iface, 'not an IPv4 or IPv6 address');
}

/** `[host, port]` of a {@link DatagramAddress}. */
function splitAddress(addr: DatagramAddress): [string, number] {
  if (Array.isArray(addr)) return [addr[0], addr[1]];
  const { host, port } = addr as { host: string; port: number };
  return [host, port];
}

/** A canonical text form of a numeric address, so that `::1` and `0:0::1` compare equal. */
function canonicalHost(host: string): string {
  if (isIP(host) !== 6) return host;
  try {
    return new URL(`http://[${host}]/`).hostname.slice(1, -1);
  } catch {
    return host; // scoped addresses (fe80::1%eth0) are left as they are
  }
}

/** Whether `host` names `canonical` (a {@link canonicalHost} result); the common exact match skips the parse. */
function samePeerHost(host: string, canonical: string): boolean {
  return host === canonical || canonicalHost(host) === canonical;
}

/**
 * A UDP port, as Twisted's `udp.Port`: `reactor.listenUDP` binds it and
 * hands it to the {@link DatagramProtocol} as its transport (so
 * `protocol.transport` is this port). Each datagram received reaches
 * `protocol.datagramReceived(data, {type: 'UDP', host, port})`; an error
 * thrown there is logged and the port keeps listening.
 *
 * A datagram longer than `maxPacketSize` is **truncated** to its first
 * `maxPacketSize` bytes, as Twisted's `recvfrom(maxPacketSize)` does.
 *
 * After {@link connect}, {@link write} needs no address, only datagrams
 * from that peer are delivered, and an ICMP "port unreachable" from it
 * calls `protocol.connectionRefused()`.
 *
 * @example
 * ```ts
 * class Echo extends DatagramProtocol {
 *   override datagramReceived(data: Uint8Array, addr: InetAddress) {
 *     this.transport!.write(data, addr);
 *   }
 * }
 * const port = await reactor.listenUDP(0, new Echo(), '127.0.0.1');
 * console.log(port.getHost()); // { type: 'UDP', host: '127.0.0.1', port: 40321 }
 * await port.stopListening();
 * ```
 */
export class UDPPort implements IUDPTransport {
  /** The largest datagram delivered whole; longer ones are truncated to this many bytes. */
  readonly maxPacketSize: number;
  readonly #port: number;
  readonly #iface: string;
  readonly #protocol: DatagramProtocol;
  readonly #type: dgram.SocketType;
  #socket: dgram.Socket | undefined;
  #host: InetAddress | undefined;
  #connectedTo: [host: string, port: number] | undefined;
  /** Datagrams written between `connect()` and the socket being connected. */
  #waitingForConnect: Uint8Array[] | undefined;
  #broadcast = false;
  #reading = false;
  #closed = false;
  #stopping: Promise<void> | undefined;

  /**
   * A port for `protocol` on `port` (0 picks a free one) and `iface` (`''`:
   * every IPv4 interface; an IPv6 address makes an IPv6 port). Nothing is
   * bound until {@link startListening}. Throws {@link InvalidAddressError}
   * when `iface` is not a numeric address.
   */
  constructor(port: number, protocol: DatagramProtocol, iface = '', maxPacketSize = 8192) {
    this.#type = socketTypeFor(iface);
    this.#port = port;
    this.#iface = iface;
    this.#protocol = protocol;
    this.maxPacketSize = maxPacketSize;
  }

  /** The protocol this port delivers datagrams to. */
  get protocol(): DatagramProtocol {
    return this.#protocol;
  }

  /** True from {@link startListening} until {@link stopListening} is called. */
  get listening(): boolean {
    return this.#reading;
  }

  /**
   * Bind the socket, attach the protocol (`makeConnection`, which calls
   * `startProtocol`) and start reading. Rejects with
   * {@link CannotListenError} when the address cannot be bound, or with
   * what `startProtocol` threw (the socket is then closed).
   */
  async startListening(): Promise<void> {
    if (this.#socket !== undefined)
      throw new AlreadyListeningError('this UDP port was already started');
    const socket = this.createSocket(this.#type);
    this.#socket = socket;
    try {
      await bind(socket, this.#port, this.#iface);
    } catch (error) {
      this.#closed = true;
      throw new CannotListenError(this.#iface, this.#port, error);
    }
    const host = this.getHost();
    log.info('{protocol} starting on {address}', {
      protocol: this.#protocol.logPrefix(),
      address: `${host.host}:${host.port}`,
      host: host.host,
      port: host.port,
    });
    socket.on('error', (error) => this.#onError(error));
    try {
      this.#protocol.makeConnection(this);
    } catch (error) {
      // startProtocol threw: give the address back and fail the listen.
      this.#closed = true;
      socket.close();
      if (this.#protocol.transport === this) this.#protocol.transport = null;
      throw error;
    }
    this.#reading = true;
    socket.on('message', (data, info) => this.#onMessage(data, info));
  }

  /**
   * Create the (unbound) socket; subclasses override it to set socket
   * options, as Twisted's `createInternetSocket`.
   */
  protected createSocket(type: dgram.SocketType): dgram.Socket {
    return dgram.createSocket({ type });
  }

  /** The underlying node:dgram socket (Twisted's `getHandle`). */
  getHandle(): dgram.Socket {
    if (this.#socket === undefined) throw new NotListeningError('this UDP port is not listening');
    return this.#socket;
  }

  /** The bound socket, or {@link ConnectionClosedError} once closed. */
  protected openSocket(): dgram.Socket {
    if (this.#closed || this.#socket === undefined) {
      throw new ConnectionClosedError('Cannot use a UDP port that is not listening.');
    }
    return this.#socket;
  }

  #onMessage(data: Buffer, info: dgram.RemoteInfo): void {
    if (!this.#reading) return;
    const peer = this.#connectedTo;
    if (peer !== undefined && (info.port !== peer[1] || !samePeerHost(info.address, peer[0]))) {
      return; // arrived before connect() took effect, from another peer
    }
    const datagram = data.length > this.maxPacketSize ? data.subarray(0, this.maxPacketSize) : data;
    try {
      this.#protocol.datagramReceived(datagram, {
        type: 'UDP',
        host: info.address,
        port: info.port,
      });
    } catch (error) {
      log.failure('Error in {protocol}.datagramReceived', error, {
        protocol: this.#protocol.logPrefix(),
      });
    }
  }

  #onError(error: Error): void {
    const code = nodeErrorCode(error);
    if (code === 'ECONNREFUSED') {
      // An ICMP "port unreachable": only meaningful on a connected port, as Twisted.
      if (this.#connectedTo !== undefined && !this.#closed) this.#refused();
      return;
    }
    log.failure('Error on UDP port {port}', error, { port: this.#describe() });
  }

  #refused(): void {
    try {
      this.#protocol.connectionRefused();
    } catch (error) {
      log.failure('Error in {protocol}.connectionRefused', error, {
        protocol: this.#protocol.logPrefix(),
      });
    }
  }

  /**
   * Send `packet` (a string means its UTF-8 bytes) as one datagram to `addr`
   * (`[host, port]` or `{host, port}`; the host must be a numeric address
   * of this port's family, or `'<broadcast>'`). On a connected port `addr`
   * may be omitted (or be the peer). Throws {@link InvalidAddressError} for a
   * bad address, {@link MessageLengthError} for a datagram over the UDP
   * limit, `ConnectionClosedError` once the port is closed. Sending is
   * asynchronous: later failures are logged, and a refusal on a connected
   * port calls `protocol.connectionRefused()`.
   */
  write(packet: Data, addr?: DatagramAddress): void {
    const socket = this.openSocket();
    const data = toBytes(packet);
    if (data.byteLength > maxPayload[this.#type]) {
      throw new MessageLengthError(`Message is too long to send: ${data.byteLength} bytes`);
    }
    if (this.#connectedTo !== undefined) {
      this.#writeConnected(socket, data, addr);
      return;
    }
    if (addr === undefined) {
      throw new InvalidAddressError('', 'write() needs an address unless the port is connected');
    }
    const [host, port] = splitAddress(addr);
    socket.send(data, port, this.#checkPeer(host === '<broadcast>' ? '255.255.255.255' : host));
  }

  #writeConnected(socket: dgram.Socket, data: Uint8Array, addr: DatagramAddress | undefined): void {
    const peer = this.#connectedTo as [string, number];
    if (addr !== undefined) {
      const [host, port] = splitAddress(addr);
      if (port !== peer[1] || !samePeerHost(host, peer[0])) {
        throw new InvalidAddressError(host, `this port is connected to ${peer[0]}:${peer[1]}`);
      }
    }
    if (this.#waitingForConnect !== undefined) this.#waitingForConnect.push(data);
    else socket.send(data);
  }

  /** Send the concatenation of `packets` as one datagram (as {@link write}). */
  writeSequence(packets: Iterable<Data>, addr?: DatagramAddress): void {
    const parts = Array.from(packets, toBytes);
    this.write(Buffer.concat(parts), addr);
  }

  /** `host` if it is a numeric address of this port's family; else throws {@link InvalidAddressError}. */
  #checkPeer(host: string): string {
    const family = isIP(host);
    if (family === 0) {
      throw new InvalidAddressError(host, 'UDP takes numeric IP addresses, not host names');
    }
    if ((family === 4) !== (this.#type === 'udp4')) {
      throw new InvalidAddressError(host, `an IPv${family} address on an ${this.#type} port`);
    }
    return host;
  }

  /**
   * Connect this port to one peer (numeric `host`), as Twisted's
   * `connect`: afterwards {@link write} needs no address, only that peer's
   * datagrams are delivered, and ICMP refusals call
   * `protocol.connectionRefused()`. Throws {@link InvalidAddressError} for
   * a host name and {@link AlreadyConnectedError} when already connected.
   * Datagrams written before the socket finishes connecting are sent once
   * it has.
   */
  connect(host: string, port: number): void {
    const socket = this.openSocket();
    if (this.#connectedTo !== undefined) throw new AlreadyConnectedError();
    this.#checkPeer(host);
    this.#connectedTo = [canonicalHost(host), port];
    this.#waitingForConnect = [];
    socket.connect(port, host, (error?: Error) => {
      const waiting = this.#waitingForConnect ?? [];
      this.#waitingForConnect = undefined;
      if (this.#closed) return;
      if (error) {
        log.failure('UDP port {port} could not connect to {peer}', error, {
          port: this.#describe(),
          peer: `${host}:${port}`,
        });
        return;
      }
      for (const data of waiting) socket.send(data);
    });
  }

  /** Allow (or forbid) sending to broadcast addresses (`SO_BROADCAST`); off by default. */
  setBroadcastAllowed(enabled: boolean): void {
    this.openSocket().setBroadcast(enabled);
    this.#broadcast = enabled;
  }

  /** Whether sending to broadcast addresses is allowed. */
  getBroadcastAllowed(): boolean {
    return this.#broadcast;
  }

  /** The bound address: `{type: 'UDP', host, port}` (the real port when 0 was asked for). */
  getHost(): InetAddress {
    if (this.#host === undefined) {
      const { address, port } = this.getHandle().address();
      this.#host = { type: 'UDP', host: address, port };
    }
    return this.#host;
  }

  /**
   * Stop reading at once; on a later turn (so that datagrams already
   * written still leave) call `protocol.doStop()` (so `stopProtocol()` on
   * its last port) and close the socket. Resolves once closed; calling it
   * again returns the same Promise.
   */
  stopListening(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined || this.#closed) {
      this.#closed = true;
      return;
    }
    this.#reading = false;
    // As Twisted, the port closes on a later turn: datagrams written just
    // before (sent on the next tick by node:dgram) still leave.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      this.#protocol.doStop();
    } catch (error) {
      log.failure('Error in {protocol}.stopProtocol', error, {
        protocol: this.#protocol.logPrefix(),
      });
    }
    this.#closed = true;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    log.info('(UDP Port {port} Closed)', { port: this.#describe() });
  }

  /** Same as {@link stopListening} (Twisted's deprecated alias). */
  loseConnection(): void {
    void this.stopListening();
  }

  /** `<Protocol on port>`, for logs (as Twisted's `repr`). */
  toString(): string {
    return `<${this.#protocol.logPrefix()} on ${this.#describe()}>`;
  }

  #describe(): string {
    if (this.#host === undefined && (this.#socket === undefined || this.#closed)) {
      return `${this.#iface || '*'}:${this.#port}`;
    }
    const { host, port } = this.getHost();
    return `${host}:${port}`;
  }
}

/** Bind `socket` to `port` on `iface` (`''`: all); resolves once bound, rejects with the bind error. */
function bind(socket: dgram.Socket, port: number, iface: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      socket.off('listening', onListening);
      socket.close();
      reject(error);
    };
    const onListening = () => {
      socket.off('error', onError);
      resolve();
    };
    socket.once('error', onError);
    socket.once('listening', onListening);
    socket.bind(iface === '' ? { port } : { port, address: iface });
  });
}

/**
 * Listen for datagrams on `port` and `iface`, as Twisted's `listenUDP`:
 * `handler` is a {@link DatagramProtocol} (or its class), or a stream-style
 * {@link DatagramHandler}. Resolves with the started {@link UDPPort};
 * rejects with {@link CannotListenError} (address in use, not local, ...)
 * or {@link InvalidAddressError} (`iface` not numeric).
 */
export function listenUDP(
  port: number,
  handler: DatagramHandlerLike,
  iface = '',
  maxPacketSize = 8192,
): Promise<UDPPort> {
  return started(handler, (protocol) => new UDPPort(port, protocol, iface, maxPacketSize));
}

/**
 * The port `make` builds for `handler`'s protocol, once listening (a
 * stream-style handler starts then); a throw from `make` rejects.
 */
export async function started<P extends UDPPort>(
  handler: DatagramHandlerLike,
  make: (protocol: DatagramProtocol) => P,
): Promise<P> {
  const { protocol, start } = toDatagramProtocol(handler);
  const port = make(protocol);
  await port.startListening();
  start();
  return port;
}
