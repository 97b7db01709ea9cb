import { CancelledError, Deferred, maybeDeferred, succeed } from '../defer/index.js';
import type { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import type { IStreamServerEndpoint } from '../endpoints/index.js';
import { formatAddress, type Handler } from '../protocols/index.js';
import type { IListeningPort } from '../transports/index.js';
import { hasOpenConnections, type OpenConnections } from './open-connections.js';
import { Service } from './service.js';

const log = new Logger('woven.app.server');

/**
 * A service that listens on a server endpoint while it runs, as Twisted's
 * `StreamServerEndpointService`: listening begins in
 * `privilegedStartService` (or `startService`, whichever comes first).
 * `startService` returns a Deferred that fires once listening and fails
 * when listening fails (port in use, bad certificate) — the failure is also
 * logged. Once listening it logs, at info, `listening on {address}` with
 * fields `host` and `port` (so `tcp:0` tells which port it got). Stopping
 * closes the listening port (or cancels a listen still in progress);
 * connections already accepted are not cut: {@link closeConnections} tells
 * them the server is stopping and {@link abortConnections} cuts them (the
 * runner does both on SIGINT/SIGTERM, after the stop).
 *
 * @example
 * ```ts
 * const service = new StreamServerEndpointService(serverFromString(reactor, 'tcp:8000'), echo);
 * await service.startService();
 * console.log(service.port?.getHost());
 * ```
 */
export class StreamServerEndpointService extends Service implements OpenConnections {
  /** The endpoint listened on. */
  readonly endpoint: IStreamServerEndpoint;
  /** The handler given each accepted connection. */
  readonly handler: Handler;
  /** The listening port, once listening. */
  port: IListeningPort | undefined = undefined;
  /** The listen in progress, until it settles. */
  #listening: Deferred<unknown> | undefined;
  /** Observers of the current listen attempt's outcome. */
  #waiters: Deferred<void>[] = [];
  #outcome: { failure?: Failure } | undefined;
  /** The ports listened on whose connections may still be open, the current one included. */
  readonly #ports = new Set<OpenConnections>();

  constructor(endpoint: IStreamServerEndpoint, handler: Handler) {
    super();
    this.endpoint = endpoint;
    this.handler = handler;
  }

  /** Begin listening (if not already). */
  override privilegedStartService(): void {
    super.privilegedStartService();
    if (this.#listening === undefined && this.port === undefined) this.#listen();
  }

  /** Start: listen if not already; fires once listening, fails if listening fails. */
  override startService(): Deferred<void> {
    super.startService();
    if (this.#listening === undefined && this.port === undefined && this.#outcome === undefined) {
      this.#listen();
    }
    return this.#whenListening();
  }

  /** Stop listening; fires once the port is closed (at once when a listen is cancelled). */
  override stopService(): Deferred<void> {
    super.stopService();
    const listening = this.#listening;
    const port = this.port;
    this.#listening = undefined;
    this.#outcome = undefined;
    this.port = undefined;
    if (listening !== undefined) {
      listening.cancel();
      return succeed(undefined);
    }
    if (port === undefined) return succeed(undefined);
    return maybeDeferred(() => port.stopListening()).addCallback(() => undefined) as Deferred<void>;
  }

  /** How many connections accepted on this service's ports are still open, also after a stop. */
  get connectionCount(): number {
    let count = 0;
    for (const port of this.#ports) count += port.connectionCount;
    return count;
  }

  /**
   * Tell every connection accepted on this service's ports that the server
   * is stopping (see {@link OpenConnections.closeConnections}); resolves
   * once all are closed. Call it after {@link stopService}, or new
   * connections keep arriving.
   */
  async closeConnections(reason?: Error): Promise<void> {
    await Promise.all([...this.#ports].map((port) => port.closeConnections(reason)));
  }

  /** Abort every connection accepted on this service's ports. */
  abortConnections(): void {
    for (const port of this.#ports) port.abortConnections();
  }

  #whenListening(): Deferred<void> {
    const outcome = this.#outcome;
    if (outcome?.failure) {
      const d = new Deferred<void>();
      d.errback(outcome.failure);
      return d;
    }
    if (outcome) return succeed(undefined);
    const d = new Deferred<void>();
    this.#waiters.push(d);
    return d;
  }

  #settle(failure?: Failure): void {
    this.#outcome = { failure };
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const d of waiters) {
      if (failure) d.errback(failure);
      else d.callback(undefined);
    }
  }

  #listen(): void {
    this.#outcome = undefined;
    let raw: unknown;
    const listening = maybeDeferred(() => {
      raw = this.endpoint.listen(this.handler);
      return raw;
    });
    this.#listening = listening;
    listening.addCallbacks(
      (port: unknown) => {
        if (this.#listening !== listening) return;
        this.#listening = undefined;
        this.#listened(port as IListeningPort);
      },
      (failure: Failure) => {
        if (this.#listening !== listening) {
          if (!failure.check(CancelledError)) {
            log.failure('error while cancelling a listen', failure, { log_level: 'error' });
          }
          return;
        }
        this.#listening = undefined;
        this.running = false;
        log.failure('cannot listen: {reason}', failure, {
          reason: failure.getErrorMessage(),
          log_level: 'error',
        });
        this.#settle(failure);
      },
    );
    // A plain Promise cannot be cancelled: close a port that opens after a stop.
    if (!(raw instanceof Deferred) && typeof (raw as PromiseLike<unknown>)?.then === 'function') {
      (raw as PromiseLike<IListeningPort>).then(
        (port) => {
          if (this.port !== port && this.#listening !== listening) void port.stopListening();
        },
        () => undefined,
      );
    }
  }

  #listened(port: IListeningPort): void {
    this.port = port;
    for (const old of this.#ports) if (old.connectionCount === 0) this.#ports.delete(old);
    if (hasOpenConnections(port)) this.#ports.add(port);
    const host = port.getHost() as { host?: string; port?: number };
    log.info('listening on {address}', {
      address: formatAddress(port.getHost()),
      host: host.host,
      port: host.port,
    });
    this.#settle();
  }
}
