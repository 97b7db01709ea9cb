// Tests: tests/transports/tcp.test.ts, tests/transports/unix.test.ts, tests/transports/tls.test.ts
import type { Channel } from 'node:diagnostics_channel';
import type { Server, Socket } from 'node:net';
import { diagnosticsChannels as channels, Logger } from '../log/index.js';
import {
  type Address,
  type Factory,
  type Protocol,
  ServerStoppingError,
  tellServerStopping,
} from '../protocols/index.js';
import type { ListenMessage } from './connection-events.js';
import { CannotListenError, NotListeningError } from './errors.js';
import { SocketTransport, type SocketTransportOptions } from './socket-transport.js';

const log = new Logger('woven.transports.port');

/**
 * The listen queue length used when none is given: Node's own default (511),
 * not Twisted's 50, which stalls bursts of connects for seconds.
 */
export const DEFAULT_BACKLOG = 511;

/** How a {@link ListeningPort} listens: what to pass to `server.listen` and how to name things. */
export interface ListenSpec {
  /** `'TCP'` or `'UNIX'`: the kind of addresses reported. */
  kind: 'TCP' | 'UNIX';
  /** Options for Node's `server.listen()` (`fd`: a socket already bound, e.g. by systemd). */
  listen: { port?: number; host?: string; path?: string; fd?: number; backlog: number };
  /** The event carrying accepted sockets: `'connection'`, or `'secureConnection'` for TLS. */
  connectionEvent: 'connection' | 'secureConnection';
  /** Run before listening (e.g. take a lock file); a throw fails the listen. */
  beforeListen?: () => void;
  /** Run after listening succeeds, before the factory starts (e.g. chmod a Unix socket); may throw. */
  afterListen?: () => void;
  /** Run once the server is closed (e.g. remove a lock file). */
  afterClose?: () => void;
}

/**
 * A listening server socket, as Twisted's `IListeningPort`: each accepted
 * connection gets a protocol from the factory (`buildProtocol(peer)`; `null`
 * refuses it) over a {@link SocketTransport}. An error in one connection
 * closes only that connection. The port keeps count of the connections it
 * accepted, also after {@link stopListening}, so a stopping server can
 * {@link closeConnections} and, past its deadline, {@link abortConnections}.
 * Returned (in a Promise) by `listenTCP`, `listenSSL` and `listenUNIX`.
 *
 * @example
 * ```ts
 * const port = await reactor.listenTCP(0, Echo, 50, '127.0.0.1');
 * console.log(port.getHost()); // { type: 'TCP', host: '127.0.0.1', port: 40123 }
 * await port.stopListening();
 * ```
 */
export class ListeningPort {
  readonly #server: Server;
  readonly #factory: Factory;
  readonly #spec: ListenSpec;
  #host: Address | undefined;
  #stopping: Promise<void> | undefined;
  /** The accepted connections still open, by protocol. */
  readonly #open = new Set<Protocol>();
  /** Called whenever the last open connection closes. */
  #drained: (() => void)[] = [];
  /** What every transport this port accepts is made with (one object for them all). */
  #transportOptions: SocketTransportOptions | null = null;

  private constructor(server: Server, factory: Factory, spec: ListenSpec) {
    this.#server = server;
    this.#factory = factory;
    this.#spec = spec;
  }

  /**
   * Listen on `server` as `spec` says, serving `factory`. Resolves once
   * listening (after `factory.doStart()`); rejects with
   * {@link CannotListenError} when the address cannot be used.
   */
  static async open(server: Server, factory: Factory, spec: ListenSpec): Promise<ListeningPort> {
    const port = new ListeningPort(server, factory, spec);
    await port.#listen();
    return port;
  }

  /** The factory serving this port's connections. */
  get factory(): Factory {
    return this.#factory;
  }

  /** True until {@link stopListening} is called. */
  get listening(): boolean {
    return this.#stopping === undefined;
  }

  #listen(): Promise<void> {
    const server = this.#server;
    const spec = this.#spec;
    return new Promise<void>((resolve, reject) => {
      try {
        spec.beforeListen?.();
      } catch (error) {
        reject(this.#cannotListen(error));
        return;
      }
      const onError = (error: Error) => {
        server.off('listening', onListening);
        spec.afterClose?.();
        reject(this.#cannotListen(error));
      };
      const onListening = () => {
        server.off('error', onError);
        try {
          spec.afterListen?.();
        } catch (error) {
          server.close();
          spec.afterClose?.();
          reject(this.#cannotListen(error));
          return;
        }
        this.#started();
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(spec.listen);
    });
  }

  #cannotListen(error: unknown): CannotListenError {
    const { host = '', port = 0, path, fd } = this.#spec.listen;
    const where = path ?? (fd === undefined ? port : `file descriptor ${fd}`);
    return new CannotListenError(typeof where === 'number' ? host : '', where, error);
  }

  #started(): void {
    const server = this.#server;
    server.on(this.#spec.connectionEvent, (socket: Socket) => this.#accept(socket));
    server.on('error', (error) =>
      log.failure('Error on listening port {address}', error, { address: this.#describe() }),
    );
    const host = this.getHost();
    log.info('{factory} starting on {address}', {
      factory: this.#factory.logPrefix(),
      address: this.#describe(),
      ...(host.type === 'UNIX' ? { path: host.name } : { host: host.host, port: host.port }),
    });
    this.#factory.doStart();
    this.#publish(channels.listenStarted);
  }

  #publish(channel: Channel): void {
    if (!channel.hasSubscribers) return;
    const message: ListenMessage = { port: this, address: this.getHost() };
    channel.publish(message);
  }

  #describe(): string {
    const host = this.getHost();
    if (host.type === 'UNIX') return host.name ?? 'an inherited Unix socket';
    return `${host.host}:${host.port}`;
  }

  #accept(socket: Socket): void {
    const kind = this.#spec.kind;
    const peer: Address =
      kind === 'UNIX'
        ? { type: 'UNIX', name: null }
        : { type: 'TCP', host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    let protocol: Protocol | null;
    try {
      protocol = this.#factory.buildProtocol(peer);
    } catch (error) {
      log.failure('Error in {factory}.buildProtocol', error, {
        factory: this.#factory.logPrefix(),
      });
      protocol = null;
    }
    if (protocol === null) {
      socket.destroy();
      return;
    }
    this.#open.add(protocol);
    this.#transportOptions ??= {
      isServer: true,
      kind,
      unixPath: this.#spec.listen.path ?? null,
      listener: this.getHost(),
      onLost: (_reason, lost) => this.#closed(lost),
    };
    new SocketTransport(socket, protocol, this.#transportOptions, peer).start();
  }

  #closed(protocol: Protocol): void {
    this.#open.delete(protocol);
    if (this.#open.size > 0) return;
    for (const resolve of this.#drained.splice(0)) resolve();
  }

  /** How many connections accepted on this port are still open (also after {@link stopListening}). */
  get connectionCount(): number {
    return this.#open.size;
  }

  /**
   * Tell every open connection that the server is stopping (`reason`, by
   * default a {@link ServerStoppingError}): a classic protocol gets
   * `loseConnection()`, a stream protocol sees its `signal` abort with
   * `reason` and its iteration end, and may finish its reply. Resolves once
   * no connection is left.
   */
  closeConnections(reason: Error = new ServerStoppingError()): Promise<void> {
    for (const protocol of this.#open) tellServerStopping(protocol, reason);
    if (this.#open.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.#drained.push(resolve));
  }

  /** Abort every open connection at once (buffered data is dropped). */
  abortConnections(): void {
    for (const protocol of this.#open) protocol.transport?.abortConnection();
  }

  /** The address this port listens on: `{type: 'TCP', host, port}` or `{type: 'UNIX', name}`. */
  getHost(): Address {
    if (this.#host) return this.#host;
    const path = this.#spec.listen.path;
    const info = this.#server.address();
    if (path !== undefined || this.#spec.kind === 'UNIX') {
      // An adopted Unix socket may not know its path (Node cannot ask it).
      this.#host = { type: 'UNIX', name: path ?? (typeof info === 'string' ? info : null) };
    } else {
      if (info === null || typeof info === 'string')
        throw new NotListeningError('the port is not listening');
      this.#host = { type: 'TCP', host: info.address, port: info.port };
    }
    return this.#host;
  }

  /**
   * Stop accepting connections and close the listening socket (connections
   * already made stay open), then call `factory.doStop()`. Resolves once
   * the socket is closed; calling it again returns the same Promise. The
   * socket is closed first, whatever happens next: if the clean-up or
   * `factory.doStop()` throws, the Promise rejects with that error (the
   * port is closed all the same).
   */
  stopListening(): Promise<void> {
    this.#stopping ??= new Promise<void>((resolve, reject) => {
      this.#server.close();
      this.#publish(channels.listenStopped);
      // server.close()'s callback waits for every connection to end; the
      // listening socket itself is released by the next loop turn.
      setImmediate(() => {
        const errors: unknown[] = [];
        for (const step of [() => this.#spec.afterClose?.(), () => this.#factory.doStop()]) {
          try {
            step();
          } catch (error) {
            errors.push(error);
          }
        }
        if (errors.length === 0) resolve();
        else reject(errors[0]);
      });
    });
    return this.#stopping;
  }
}
