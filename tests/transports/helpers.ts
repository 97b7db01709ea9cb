// Shared helpers for the transports tests: resources closed after each test,
// recording protocols and factories, raw node:net peers.
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ClientFactory,
  type Connector,
  type Failure,
  type IConnector,
  type ListeningPort,
  Protocol,
} from '../../lib/index.js';
import { deferred } from '../helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tls');
/** A self-signed certificate for CN/SAN `localhost` and `127.0.0.1`, and its key. */
export const cert = readFileSync(join(fixtures, 'localhost.crt'));
export const key = readFileSync(join(fixtures, 'localhost.key'));

/** Everything a test opens, closed in `afterEach` by {@link Resources.closeAll}. */
export class Resources {
  readonly #ports: ListeningPort[] = [];
  readonly #sockets: net.Socket[] = [];
  readonly #connectors: Connector[] = [];
  readonly #cleanups: (() => unknown)[] = [];

  port<P extends ListeningPort>(port: P): P {
    this.#ports.push(port);
    return port;
  }

  socket<S extends net.Socket>(socket: S): S {
    this.#sockets.push(socket);
    return socket;
  }

  connector<C extends Connector>(connector: C): C {
    this.#connectors.push(connector);
    return connector;
  }

  onClose(fn: () => unknown): void {
    this.#cleanups.push(fn);
  }

  async closeAll(): Promise<void> {
    for (const c of this.#connectors.splice(0)) {
      c.transport?.abortConnection();
      if (c.state === 'connecting') c.stopConnecting();
    }
    for (const s of this.#sockets.splice(0)) s.destroy();
    await Promise.all(this.#ports.splice(0).map((p) => p.stopListening()));
    for (const fn of this.#cleanups.splice(0)) await fn();
  }
}

/** A protocol recording what happens to it; `lost` resolves with the reason. */
export class Recorder extends Protocol {
  received: Buffer[] = [];
  readonly made = deferred();
  readonly lost = deferred<Failure>();
  reason: Failure | undefined;
  lostCount = 0;
  #waiters: { bytes: number; resolve: (text: string) => void }[] = [];

  override connectionMade(): void {
    this.made.resolve();
  }

  override dataReceived(data: Uint8Array): void {
    this.received.push(Buffer.from(data));
    const size = this.text().length;
    const ready = this.#waiters.filter((w) => size >= w.bytes);
    this.#waiters = this.#waiters.filter((w) => size < w.bytes);
    for (const w of ready) w.resolve(this.text());
  }

  /** Resolves with the text received once it is `n` bytes long, or longer. */
  receivedAtLeast(n: number): Promise<string> {
    if (this.text().length >= n) return Promise.resolve(this.text());
    return new Promise((resolve) => this.#waiters.push({ bytes: n, resolve }));
  }

  override connectionLost(reason: Failure): void {
    this.lostCount++;
    this.reason = reason;
    this.lost.resolve(reason);
  }

  text(): string {
    return Buffer.concat(this.received).toString();
  }
}

/**
 * A client factory recording its protocol and the outcome of the attempt:
 * `failed` resolves with the `clientConnectionFailed` reason, `lost` with the
 * `clientConnectionLost` one, `built` with the protocol.
 */
export class RecordingClientFactory<P extends Protocol = Recorder> extends ClientFactory {
  readonly built = deferred<P>();
  readonly failed = deferred<Failure>();
  readonly lost = deferred<Failure>();
  started = 0;
  stopped = 0;
  startedConnectingCount = 0;

  constructor(readonly make: () => P = () => new Recorder() as unknown as P) {
    super();
    this.noisy = false;
  }

  override buildProtocol(): P {
    const p = this.make();
    p.factory = this;
    this.built.resolve(p);
    return p;
  }

  override startFactory(): void {
    this.started++;
  }

  override stopFactory(): void {
    this.stopped++;
  }

  override startedConnecting(_c: IConnector): void {
    this.startedConnectingCount++;
  }

  override clientConnectionFailed(_c: IConnector, reason: Failure): void {
    this.failed.resolve(reason);
  }

  override clientConnectionLost(_c: IConnector, reason: Failure): void {
    this.lost.resolve(reason);
  }
}

/** Connect a raw node:net socket to `port` on 127.0.0.1. */
export function rawConnect(port: number, resources: Resources): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = resources.socket(net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }));
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything `socket` receives until the peer closes its write side. */
export function readAll(socket: net.Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
  });
}

/** Resolve once `socket` has received at least `n` bytes; returns them. */
export function readAtLeast(socket: net.Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (c: Buffer) => {
      chunks.push(c);
      total += c.length;
      if (total >= n) {
        socket.off('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}
