// Tests: tests/transports/tcp.test.ts, tests/transports/tls.test.ts, tests/transports/backpressure.test.ts
import type { Socket } from 'node:net';
import * as tls from 'node:tls';
import { Failure } from '../failure/index.js';
import { diagnosticsChannels as channels, Logger } from '../log/index.js';
import {
  type Address,
  ConnectionAborted,
  ConnectionDone,
  ConnectionLost,
  type Data,
  type IPullProducer,
  type IPushProducer,
  type ITLSTransport,
  type Protocol,
  DueAtNextTurn,
  onNextTurn,
  ProducerSlot,
  publishHandlerFailure,
  type StartTLSOptions,
  WriteBuffer,
  batchWrites,
} from '../protocols/index.js';
import { publishClosed, publishOpened } from './connection-events.js';
import { errorMessage, TLSError } from './errors.js';
import { TLSUpgrade } from './start-tls.js';

const log = new Logger('woven.transports.socket');

/** Something told when a {@link SocketTransport}'s connection is gone (a port or connector). */
export type LostListener = (reason: Failure, protocol: Protocol) => void;

/** How a {@link SocketTransport} reports its addresses and role. */
export interface SocketTransportOptions {
  /** True on the accepting side: `startTLS` then acts as the TLS server by default. */
  isServer: boolean;
  /** `'TCP'` or `'UNIX'`: the kind of address `getHost`/`getPeer` report. */
  kind: 'TCP' | 'UNIX';
  /** For Unix sockets: the path of the listening socket (the server's name). */
  unixPath?: string | null;
  /** Called once, after the protocol's `connectionLost`, with its reason and the protocol. */
  onLost?: LostListener;
  /** For accepted connections: the listening port's address (reported to diagnostics). */
  listener?: Address;
}

type HalfCloseable = Protocol & { readConnectionLost?(): void; writeConnectionLost?(): void };

/**
 * Bytes buffered (in the transport and in Node's socket) at which a
 * registered streaming producer is paused, as Twisted's `bufferSize`.
 */
export const WRITE_HIGH_WATER_MARK = 65536;

const kTransport = Symbol('woven.transport');
type OwnedSocket = Socket & { [kTransport]?: SocketTransport };

/** Wrap an error from the socket as the `connectionLost` reason: always a `ConnectionLost`. */
export function connectionLostReason(error: unknown): ConnectionLost {
  if (error instanceof ConnectionLost) return error;
  return new ConnectionLost(`Connection to the other side was lost: ${errorMessage(error)}`, {
    cause: error,
  });
}

/**
 * The transport of one socket connection (TCP, TLS or Unix), as Twisted's
 * `tcp.Connection`: it feeds the socket's data to its protocol, supports
 * half-close, and can switch to TLS with {@link startTLS}. Ports and
 * connectors create these; users see them as `protocol.transport`.
 *
 * Writes are buffered and handed to the socket once per event-loop turn
 * (at the end of the `dataReceived` call that made them, else at the next
 * turn), small ones joined into one buffer, as Twisted's write buffer is
 * flushed once per reactor iteration. A registered streaming producer is
 * paused once `WRITE_HIGH_WATER_MARK` bytes are buffered and resumed
 * when the socket has taken them, so a producer writes at most about that
 * much per turn and never starves timers or other connections.
 *
 * @example
 * ```ts
 * class Hello extends Protocol {
 *   override connectionMade() {
 *     this.transport!.write('hello\r\n');
 *     this.transport!.loseConnection();
 *   }
 * }
 * await reactor.listenTCP(0, Hello);
 * ```
 */
export class SocketTransport implements ITLSTransport {
  #socket: OwnedSocket;
  readonly #protocol: HalfCloseable;
  readonly #options: SocketTransportOptions;
  readonly #producer = new ProducerSlot();
  #pullScheduled = false;
  /** What was written and not yet handed to the socket. */
  #out: WriteBuffer | null = null;
  #flushScheduled = false;
  /** Inside the protocol's `dataReceived` (or a `batchWrites`): writes go out when it returns. */
  #receiving = false;
  /** loseConnection() was called (it may wait for the producer to unregister). */
  #disconnecting = false;
  /** Our write side has been ended (FIN sent or pending). */
  #writeClosed = false;
  #readPaused = false;
  #lost = false;
  #tls = false;
  #error: unknown = undefined;
  #abortReason: ConnectionLost | undefined = undefined;
  #host: Address | undefined = undefined;
  #peer: Address | undefined = undefined;

  /**
   * @param options how it reports itself; may be shared by many transports (a port's connections).
   * @param peer the peer's address, when already known (it is then not asked of the socket again).
   */
  constructor(socket: Socket, protocol: Protocol, options: SocketTransportOptions, peer?: Address) {
    this.#socket = socket;
    this.#protocol = protocol as HalfCloseable;
    this.#options = options;
    this.#tls = socket instanceof tls.TLSSocket;
    this.#peer = peer;
    SocketTransport.#attach(socket, this);
  }

  /** True while the connection is open and `loseConnection()` has not been called. */
  get connected(): boolean {
    return !this.#lost;
  }

  /** True once `loseConnection()` has been called (Twisted's `disconnecting`). */
  get disconnecting(): boolean {
    return this.#disconnecting;
  }

  /** True once the connection runs over TLS (from the start, or after {@link startTLS}). */
  get secure(): boolean {
    return this.#tls;
  }

  /** The underlying Node socket (a `tls.TLSSocket` once secure). For diagnostics. */
  get socket(): Socket {
    return this.#socket;
  }

  /** Attach the protocol: calls `protocol.makeConnection(this)`. */
  start(): void {
    if (channels.connectionOpened.hasSubscribers)
      publishOpened(this, this.#options.listener ?? null);
    try {
      this.#protocol.makeConnection(this);
    } catch (error) {
      log.failure('Unhandled error in {protocol}.connectionMade', error, {
        protocol: this.#protocol.logPrefix(),
      });
      publishHandlerFailure(error, this.#protocol, 'connectionMade');
      this.abortConnection();
    }
  }

  // --- events, as shared functions (no per-connection closures) ---

  static #attach(socket: OwnedSocket, transport: SocketTransport): void {
    socket[kTransport] = transport;
    socket.on('data', SocketTransport.#onData);
    socket.on('end', SocketTransport.#onEnd);
    socket.on('error', SocketTransport.#onError);
    socket.on('close', SocketTransport.#onClose);
    socket.on('drain', SocketTransport.#onDrain);
  }

  static #detach(socket: OwnedSocket): void {
    socket.off('data', SocketTransport.#onData);
    socket.off('end', SocketTransport.#onEnd);
    socket.off('error', SocketTransport.#onError);
    socket.off('close', SocketTransport.#onClose);
    socket.off('drain', SocketTransport.#onDrain);
    socket[kTransport] = undefined;
  }

  static #onData(this: OwnedSocket, chunk: Buffer): void {
    const t = this[kTransport] as SocketTransport;
    if (t.#disconnecting || t.#lost) return;
    // What the protocol writes while handling this chunk leaves in one write.
    t.#receiving = true;
    try {
      t.#protocol.dataReceived(chunk);
    } catch (error) {
      t.#protocolFailed('dataReceived', error);
    }
    t.#receiving = false;
    t.#flush();
  }

  static #onEnd(this: OwnedSocket): void {
    (this[kTransport] as SocketTransport).#readEnded();
  }

  static #onError(this: OwnedSocket, error: Error): void {
    const t = this[kTransport] as SocketTransport;
    t.#error ??= error;
  }

  static #onClose(this: OwnedSocket): void {
    (this[kTransport] as SocketTransport).#closed();
  }

  static #onDrain(this: OwnedSocket): void {
    (this[kTransport] as SocketTransport).#drained();
  }

  #protocolFailed(method: string, error: unknown): void {
    log.failure('Unhandled error in {protocol}.{method}', error, {
      protocol: this.#protocol.logPrefix(),
      method,
    });
    publishHandlerFailure(error, this.#protocol, method);
    this.#abortReason ??= connectionLostReason(error);
    this.abortConnection();
  }

  #readEnded(): void {
    if (this.#lost) return;
    this.#keepAddresses();
    const protocol = this.#protocol;
    if (typeof protocol.readConnectionLost === 'function' && !this.#disconnecting) {
      try {
        protocol.readConnectionLost();
      } catch (error) {
        this.#protocolFailed('readConnectionLost', error);
      }
      return;
    }
    // Not half-closeable: the peer's EOF closes the whole connection cleanly.
    this.#endWrite();
  }

  #closed(): void {
    if (this.#lost) return;
    this.#lost = true;
    const reason =
      this.#abortReason ??
      (this.#error === undefined ? new ConnectionDone() : connectionLostReason(this.#error));
    const failure = new Failure(reason);
    this.#producer.stop();
    try {
      this.#protocol.connectionLost(failure);
    } catch (error) {
      log.failure('Unhandled error in {protocol}.connectionLost', error, {
        protocol: this.#protocol.logPrefix(),
      });
      publishHandlerFailure(error, this.#protocol, 'connectionLost');
    }
    SocketTransport.#detach(this.#socket);
    if (channels.connectionClosed.hasSubscribers) {
      publishClosed(this, this.#options.listener ?? null, reason);
    }
    this.#options.onLost?.(failure, this.#protocol);
  }

  /** The socket has taken what it buffered: let the producer go on. */
  #drained(): void {
    if (this.#producer.streaming) this.#maybeResume();
    else if (this.#producer.pulling) this.#schedulePull();
  }

  /** Bytes waiting to be sent: ours and the socket's. */
  #bufferedBytes(): number {
    return (this.#out?.size ?? 0) + this.#socket.writableLength;
  }

  #maybeResume(): void {
    if (!this.#producer.paused || this.#lost) return;
    if (this.#socket.writableNeedDrain || this.#bufferedBytes() >= WRITE_HIGH_WATER_MARK) return;
    this.#producer.resume();
  }

  #schedulePull(): void {
    if (this.#pullScheduled) return;
    this.#pullScheduled = true;
    onNextTurn(() => {
      this.#pullScheduled = false;
      if (this.#lost || !this.#producer.pull()) return;
      if (this.#producer.pulling && this.#bufferedBytes() < WRITE_HIGH_WATER_MARK) {
        this.#schedulePull();
      }
    });
  }

  /** Pause a streaming producer once the buffers reach the high-water mark. */
  #checkHighWater(): void {
    if (!this.#producer.streaming || this.#producer.paused) return;
    if (this.#bufferedBytes() >= WRITE_HIGH_WATER_MARK) this.#producer.pause();
  }

  /** Hand what was written this turn to the socket now, in as few writes as pays. */
  #flush(): void {
    if (this.#out === null || this.#out.empty || this.#lost) return;
    const socket = this.#socket;
    this.#out.drainInto(
      (data) => socket.write(data),
      (parts) => {
        if (parts.length === 1) {
          socket.write(parts[0]!);
          return;
        }
        socket.cork();
        for (const part of parts) socket.write(part);
        socket.uncork();
      },
    );
    if (this.#producer.streaming) this.#maybeResume();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#receiving) return;
    this.#flushScheduled = true;
    SocketTransport.#flushDue.add(this);
  }

  /** Transports with writes to flush at the next turn. */
  static readonly #flushDue = new DueAtNextTurn<SocketTransport>((t) => {
    t.#flushScheduled = false;
    t.#flush();
  });

  /** Run `writes`; what they write goes to the socket when they return (see `batchWrites`). */
  [batchWrites](writes: () => void): void {
    if (this.#receiving) {
      writes(); // inside dataReceived: it all goes out when that returns
      return;
    }
    this.#receiving = true;
    try {
      writes();
    } finally {
      this.#receiving = false;
    }
    this.#flush();
  }

  // --- ITransport ---

  /**
   * Send `data` (a string means its UTF-8 bytes): buffered, and handed to
   * the socket with the rest of this turn's writes. Ignored once the write
   * side is closed.
   */
  write(data: Data): void {
    if (this.#writeClosed || this.#lost) return;
    this.#out ??= new WriteBuffer();
    this.#out.push(data);
    this.#scheduleFlush();
    this.#checkHighWater();
  }

  /** Send every chunk of `data`, in order (joined with this turn's other writes). */
  writeSequence(data: Iterable<Data>): void {
    if (this.#writeClosed || this.#lost) return;
    this.#out ??= new WriteBuffer();
    for (const chunk of data) this.#out.push(chunk);
    this.#scheduleFlush();
    this.#checkHighWater();
  }

  /**
   * Close after every buffered byte is sent; `connectionLost` then receives
   * `ConnectionDone`. Reading stops at once. With a pull producer registered,
   * the close waits until it is unregistered (as Twisted).
   */
  loseConnection(): void {
    if (this.#disconnecting || this.#lost) return;
    this.#disconnecting = true;
    this.#socket.pause();
    if (!this.#producer.pulling) this.#finishClose();
  }

  /** Remember both addresses while the socket still knows them (it forgets once closed). */
  #keepAddresses(): void {
    this.getHost();
    this.getPeer();
  }

  #finishClose(): void {
    this.#keepAddresses();
    const socket = this.#socket;
    if (socket.destroyed) return;
    this.#flush();
    if (this.#writeClosed) {
      if (socket.writableFinished) socket.destroy();
      else socket.once('finish', () => socket.destroy());
      return;
    }
    this.#writeClosed = true;
    socket.end(() => socket.destroy());
  }

  /** Half-close: send EOF after the buffered data and keep reading. */
  loseWriteConnection(): void {
    if (this.#writeClosed || this.#lost) return;
    this.#flush();
    this.#writeClosed = true;
    const socket = this.#socket;
    socket.end(() => {
      if (this.#lost) return;
      try {
        this.#protocol.writeConnectionLost?.();
      } catch (error) {
        this.#protocolFailed('writeConnectionLost', error);
      }
    });
  }

  #endWrite(): void {
    if (this.#writeClosed) return;
    this.#flush();
    this.#writeClosed = true;
    this.#socket.end();
  }

  /** Close at once, dropping buffered data (a TCP reset where possible); `connectionLost` receives `ConnectionAborted`. */
  abortConnection(): void {
    if (this.#lost) return;
    this.#abortReason ??= new ConnectionAborted();
    this.#writeClosed = true;
    this.#out?.clear();
    this.#keepAddresses();
    const socket = this.#socket;
    if (socket.destroyed) return;
    // Plain TCP: send a reset, so the peer sees an unclean loss. (A TLS
    // socket is only destroyed: resetting the TCP socket under Node's TLS
    // layer is unsafe, so its peer may see a close without close_notify.)
    if (this.#options.kind === 'TCP' && !this.#tls) {
      try {
        socket.resetAndDestroy();
        return;
      } catch {
        // not a TCP handle: destroy() below
      }
    }
    socket.destroy();
  }

  /** The remote address: `{type: 'TCP', host, port}` or `{type: 'UNIX', name}`. */
  getPeer(): Address {
    this.#peer ??= this.#address(true);
    return this.#peer;
  }

  /** The local address: `{type: 'TCP', host, port}` or `{type: 'UNIX', name}`. */
  getHost(): Address {
    this.#host ??= this.#address(false);
    return this.#host;
  }

  #address(remote: boolean): Address {
    const socket = this.#socket;
    if (this.#options.kind === 'UNIX') {
      // The server end has the listening path as its name; the client end is unbound.
      const local = this.#options.isServer !== remote;
      return { type: 'UNIX', name: local ? (this.#options.unixPath ?? null) : null };
    }
    return remote
      ? { type: 'TCP', host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 }
      : { type: 'TCP', host: socket.localAddress ?? '', port: socket.localPort ?? 0 };
  }

  // --- IConsumer ---

  /**
   * Register a producer: a streaming one ({@link IPushProducer}) is paused
   * while the write buffer is full; a pull one ({@link IPullProducer}) is
   * asked for more whenever it has room. Throws if one is already registered.
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (!this.#producer.register(producer, streaming, this.#lost)) return;
    if (!streaming) this.#schedulePull();
    else this.#checkHighWater();
  }

  /** Forget the registered producer; a pending `loseConnection()` then proceeds. */
  unregisterProducer(): void {
    const wasPull = this.#producer.pulling;
    this.#producer.unregister();
    if (wasPull && this.#disconnecting && !this.#lost) this.#finishClose();
  }

  // --- IPushProducer: flow control of reading ---

  /** Stop reading from the socket (the peer is slowed by TCP flow control). */
  pauseProducing(): void {
    this.#readPaused = true;
    this.#socket.pause();
  }

  /** Resume reading after {@link pauseProducing}. */
  resumeProducing(): void {
    this.#readPaused = false;
    if (!this.#disconnecting && !this.#lost) this.#socket.resume();
  }

  /** Stop for good: closes the connection, as Twisted's transports do. */
  stopProducing(): void {
    this.loseConnection();
  }

  // --- ITLSTransport ---

  /**
   * Switch this live connection to TLS. `pending` holds bytes already read
   * past the STARTTLS exchange; they are fed to TLS first. Writes made after
   * this call are sent encrypted once the handshake completes. Resolves after
   * the handshake; rejects with a `TLSError` (and the connection is lost with
   * a `ConnectionLost`) when it fails. As a client it verifies the server's
   * certificate and name (`options.host`/`servername`, default the peer's
   * address) unless `rejectUnauthorized: false`.
   */
  startTLS(options: StartTLSOptions, pending?: Uint8Array): Promise<void> {
    const result = this.#startTLS(options, pending);
    result.catch(() => {}); // never an unhandled rejection for callers that ignore it
    return result;
  }

  #startTLS(options: StartTLSOptions, pending?: Uint8Array): Promise<void> {
    if (this.#lost) return Promise.reject(connectionLostReason('the connection is closed'));
    if (this.#tls) return Promise.reject(new TLSError('TLS is already started'));
    this.#flush(); // what was written before STARTTLS goes out in the clear
    const old = this.#socket;
    old.pause();
    SocketTransport.#detach(old);
    const upgrade = new TLSUpgrade(old, options, pending, this.#options.isServer);
    const secure = upgrade.socket;
    this.#socket = secure;
    this.#tls = true;
    SocketTransport.#attach(secure, this);
    if (this.#readPaused || this.#disconnecting) secure.pause();
    return upgrade.handshake(() =>
      this.#error instanceof Error
        ? this.#error
        : connectionLostReason('connection closed during the TLS handshake'),
    );
  }
}
