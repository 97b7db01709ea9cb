// Shared helpers for the UDP tests: a recording DatagramProtocol and a
// tracker that stops every port a test opened.
import * as dgram from 'node:dgram';
import { DatagramProtocol, type InetAddress, type UDPPort } from '../../lib/index.js';

/** One received datagram, as a string, with its sender. */
export interface Received {
  data: string;
  addr: InetAddress;
}

/** A DatagramProtocol recording what happens to it; `next()` waits for the next datagram. */
export class Recorder extends DatagramProtocol {
  override noisy = false;
  readonly packets: Received[] = [];
  readonly events: string[] = [];
  refused = 0;
  #waiters: ((r: Received) => void)[] = [];
  #refusedWaiters: (() => void)[] = [];

  override startProtocol(): void {
    this.events.push('start');
  }

  override stopProtocol(): void {
    this.events.push('stop');
  }

  override datagramReceived(data: Uint8Array, addr: InetAddress): void {
    const received = { data: Buffer.from(data).toString(), addr };
    this.packets.push(received);
    this.#waiters.shift()?.(received);
  }

  override connectionRefused(): void {
    this.refused += 1;
    for (const w of this.#refusedWaiters.splice(0)) w();
  }

  /** The next datagram received from now on. */
  next(): Promise<Received> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Resolves on the next `connectionRefused()`. */
  whenRefused(): Promise<void> {
    return new Promise((resolve) => this.#refusedWaiters.push(resolve));
  }
}

/** Echoes each datagram back to its sender. */
export class Echo extends DatagramProtocol {
  override noisy = false;
  override datagramReceived(data: Uint8Array, addr: InetAddress): void {
    this.transport?.write(data, addr);
  }
}

/** Every port and raw socket a test opens, closed in `afterEach` by {@link UDPResources.closeAll}. */
export class UDPResources {
  readonly #ports: UDPPort[] = [];
  readonly #sockets: dgram.Socket[] = [];

  port<P extends UDPPort>(port: P): P {
    this.#ports.push(port);
    return port;
  }

  /** A raw node:dgram socket bound to 127.0.0.1 on a free port. */
  async socket(): Promise<dgram.Socket> {
    const socket = dgram.createSocket('udp4');
    this.#sockets.push(socket);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return socket;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#ports.splice(0).map((p) => p.stopListening()));
    await Promise.all(
      this.#sockets.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    );
  }
}

/** Send `data` from a raw socket and wait until it has left. */
export function sendFrom(socket: dgram.Socket, data: string, port: number, host = '127.0.0.1') {
  return new Promise<void>((resolve, reject) =>
    socket.send(data, port, host, (error) => (error ? reject(error) : resolve())),
  );
}

/** A UDP port number that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
