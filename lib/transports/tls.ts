// Tests: tests/transports/tls.test.ts
import * as net from 'node:net';
import * as tls from 'node:tls';
import { type Handler, toFactory } from '../protocols/index.js';
import type { IReactorTime } from '../time/index.js';
import { publishTLSFailure } from './connection-events.js';
import { Connector } from './connector.js';
import { DEFAULT_BACKLOG, ListeningPort } from './listening-port.js';
import { Logger } from '../log/index.js';
import type { BindAddress } from './interfaces.js';
import { bindOptions, listenOptions } from './tcp.js';
import { DEFAULT_HANDSHAKE_TIMEOUT } from './handshake-deadline.js';

const log = new Logger('woven.transports.tls');

/** PEM text or bytes (one or several certificates). */
export type PEM = string | Buffer;

/** Trust roots, added to Node's TLS options on either side. */
export interface TrustRootOptions {
  /** Certificates to trust as roots (Twisted's `trustRoot`); replaces the system roots. */
  trustRoots?: PEM | PEM[];
  /** Same as `trustRoots` (the name used by endpoint descriptions). */
  caCerts?: PEM | PEM[];
}

/** A TLS server's options: Node's `tls` server options plus {@link TrustRootOptions}. */
export type TLSServerOptions = tls.TlsOptions & TrustRootOptions;

/**
 * A TLS client's options: Node's `tls.connect` options plus
 * {@link TrustRootOptions}. The server's certificate and host name are
 * verified by default.
 */
export type TLSClientOptions = tls.ConnectionOptions & TrustRootOptions;

/**
 * TLS options usable on both sides: Node's `tls` options, plus
 * `trustRoots`/`caCerts` (PEM certificates the peer's certificate must
 * chain to; they become Node's `ca`).
 */
export type TLSOptions = TLSServerOptions & TLSClientOptions;

/** `options` as Node's: `trustRoots`/`caCerts` merged into `ca`. */
export function nodeTLSOptions<O extends TrustRootOptions & { ca?: unknown }>(
  options: O,
): Omit<O, keyof TrustRootOptions> {
  const { trustRoots, caCerts, ...rest } = options;
  const roots = [trustRoots, caCerts].flat().filter((r): r is PEM => r !== undefined);
  if (roots.length === 0) return rest;
  const ca = rest.ca === undefined ? [] : [rest.ca].flat();
  return { ...rest, ca: [...ca, ...roots] };
}

/**
 * Listen for TLS connections on `port`, as Twisted's `listenSSL`. A client
 * that fails the handshake, or does not finish it within
 * `options.handshakeTimeout` (Node's option, in milliseconds; default
 * {@link DEFAULT_HANDSHAKE_TIMEOUT} seconds), is logged with its address
 * and closed; the port keeps serving. (Node 20 reports a handshake timeout
 * but leaves the socket open: woven closes it.)
 */
export function listenSSL(
  port: number,
  handler: Handler,
  options: TLSServerOptions,
  backlog = DEFAULT_BACKLOG,
  iface = '',
): Promise<ListeningPort> {
  const server = tls.createServer({
    handshakeTimeout: DEFAULT_HANDSHAKE_TIMEOUT * 1000,
    ...nodeTLSOptions(options),
    allowHalfOpen: true,
    noDelay: true,
  });
  server.on('tlsClientError', (error, socket) => {
    log.info('TLS handshake with {host} failed: {error}', {
      host: socket.remoteAddress,
      error: error.message,
      tlsCode: (error as { code?: string }).code,
    });
    publishTLSFailure(error, socket, true);
    socket.destroy();
  });
  return ListeningPort.open(server, toFactory(handler), {
    kind: 'TCP',
    listen: listenOptions(port, backlog, iface),
    connectionEvent: 'secureConnection',
  });
}

/**
 * Connect over TLS to `host`:`port`, as Twisted's `connectSSL`. The protocol
 * is built once the handshake and the certificate check succeed; a failure
 * reaches `clientConnectionFailed` as a `TLSError`. The server's certificate
 * and name are verified unless `rejectUnauthorized: false`.
 */
export function connectSSL(
  clock: IReactorTime,
  host: string,
  port: number,
  handler: Handler,
  options: TLSClientOptions = {},
  timeout: number | null = 30,
  bindAddress?: BindAddress,
): Connector {
  const nodeOptions = nodeTLSOptions(options);
  const servername = nodeOptions.servername ?? (net.isIP(host) ? undefined : host);
  const connector = new Connector(
    {
      kind: 'TCP',
      destination: { type: 'TCP', host, port },
      tls: true,
      dial: () =>
        tls.connect({
          ...nodeOptions,
          ...(servername === undefined ? {} : { servername }),
          host,
          // Our own TCP socket underneath: the connector watches its 'connect' to
          // tell a connection failure from a TLS handshake failure.
          socket: net.connect({
            host,
            port,
            allowHalfOpen: true,
            noDelay: true,
            ...bindOptions(bindAddress),
          }),
          allowHalfOpen: true, // supported at runtime, missing from @types/node
        } as tls.ConnectionOptions),
    },
    toFactory(handler),
    timeout,
    clock,
  );
  connector.connect();
  return connector;
}
