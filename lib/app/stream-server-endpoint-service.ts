import { Deferred } from '../defer/index.js';
import { Logger } from '../log/index.js';
import type { Address, Handler } from '../protocols/index.js';
import { Service } from './service.js';

const log = new Logger('woven.app.server');

/** A listening port, as server endpoints return it. */
export interface ListeningPortLike {
  getHost(): Address;
  stopListening(): PromiseLike<unknown> | unknown;
}

/** A server endpoint: something that can listen with a handler. */
export interface ServerEndpointLike {
  listen(handler: Handler): PromiseLike<ListeningPortLike>;
}

/** How an address is written in logs: `host:port` (`[v6]:port`), or a Unix path. */
export function formatAddress(address: Address): string {
  const a = address as { type: string; host?: string; port?: number; name?: string };
  if (a.type === 'UNIX') return a.name ?? '';
  const host = a.host?.includes(':') ? `[${a.host}]` : a.host;
  return `${host}:${a.port}`;
}

/**
 * A service that listens on a server endpoint while it runs, as Twisted's
 * `StreamServerEndpointService`. Starting fails when listening fails (port
 * in use, bad certificate); once listening it logs, at info,
 * `listening on {address}` with fields `host` and `port` (so `tcp:0` tells
 * which port it got). Stopping closes the listening port; connections
 * already accepted are not cut.
 *
 * @example
 * ```ts
 * const service = new StreamServerEndpointService(serverFromString(reactor, 'tcp:8000'), echo);
 * await service.startService();
 * console.log(service.port?.getHost());
 * ```
 */
export class StreamServerEndpointService extends Service {
  /** The endpoint listened on. */
  readonly endpoint: ServerEndpointLike;
  /** The handler given each accepted connection. */
  readonly handler: Handler;
  /** The listening port, once listening. */
  port: ListeningPortLike | undefined = undefined;
  #pending: Promise<ListeningPortLike> | undefined;

  constructor(endpoint: ServerEndpointLike, handler: Handler) {
    super();
    this.endpoint = endpoint;
    this.handler = handler;
  }

  /** Start listening; fires once listening, fails if listening fails. */
  override startService(): Deferred<void> {
    super.startService();
    const pending = (async () => this.endpoint.listen(this.handler))(); // a throw becomes a rejection
    this.#pending = pending;
    const started = pending.then(
      (port) => {
        if (this.#pending !== pending) return; // stopped meanwhile
        this.port = port;
        const host = port.getHost() as { host?: string; port?: number };
        log.info('listening on {address}', {
          address: formatAddress(port.getHost()),
          host: host.host,
          port: host.port,
        });
      },
      (error: unknown) => {
        if (this.#pending === pending) {
          this.#pending = undefined;
          this.running = false;
        }
        throw error;
      },
    );
    return Deferred.fromPromise(started);
  }

  /** Stop listening; fires once the port is closed. */
  override stopService(): Deferred<void> {
    super.stopService();
    const pending = this.#pending;
    const port = this.port;
    this.#pending = undefined;
    this.port = undefined;
    if (port !== undefined) return Deferred.fromPromise(closePort(port));
    if (pending === undefined) return Deferred.fromPromise(Promise.resolve());
    // Still starting: close the port as soon as it is open.
    return Deferred.fromPromise(pending.then(closePort, () => undefined));
  }
}

async function closePort(port: ListeningPortLike): Promise<void> {
  await port.stopListening();
}
