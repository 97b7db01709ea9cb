// Tests: tests/plugins/web-limits.test.ts, tests/plugins/builtins.test.ts
import { performance } from 'node:perf_hooks';
import {
  createServer,
  type IncomingMessage,
  type Server,
  STATUS_CODES,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { StreamServerEndpointService } from '../../app/index.js';
import type { IStreamServerEndpoint } from '../../endpoints/index.js';
import { Logger } from '../../log/index.js';
import type { StreamProtocol } from '../../protocols/index.js';
import { type IDelayedCall, type IReactorTime, reactor } from '../../time/index.js';
import { connectionDuplex } from '../../websocket/index.js';

const log = new Logger('woven.plugins.web');

/**
 * What one HTTP client may hold, enforced by woven itself (node:http's own
 * timers do not run on connections handed to it). Durations in seconds.
 */
export interface HttpLimits {
  /** Seconds from a request's first byte (or the connection) to its complete headers (node:http's `headersTimeout`: 60). */
  headersTimeout: number;
  /** Seconds from a request's first byte to its complete body (node:http's `requestTimeout`: 300). */
  requestTimeout: number;
  /** Seconds an idle keep-alive connection stays open after a response (node:http's `keepAliveTimeout`: 5). */
  keepAliveTimeout: number;
  /** Longest request target, in bytes; longer gets 414 (default 8192). */
  maxUrlLength: number;
  /** Largest request line plus headers, in bytes; larger gets 431 (node:http's `maxHeaderSize`: 16384). */
  maxHeaderSize: number;
}

/** The defaults of {@link HttpLimits}: node:http's own, and 8 KiB request targets. */
export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  headersTimeout: 60,
  requestTimeout: 300,
  keepAliveTimeout: 5,
  maxUrlLength: 8192,
  maxHeaderSize: 16384,
});

/** The methods a static server answers; the others get 405 with `Allow`. */
const ALLOWED_METHODS = ['GET', 'HEAD'];

/** A stream protocol that hands each connection to `server` (node:http over woven's connection). */
export function httpProtocol(
  server: Server,
  onConnection?: (socket: Duplex) => void,
): StreamProtocol {
  return async (conn) => {
    const socket = connectionDuplex(conn);
    onConnection?.(socket);
    server.emit('connection', socket);
    await conn.closed;
  };
}

/** `host:port` of the peer of `socket` (a connection duplex carries socket-like address fields). */
function peerOf(socket: Duplex): string {
  const s = socket as Duplex & { remoteAddress?: string; remotePort?: number };
  return `${s.remoteAddress ?? '?'}:${s.remotePort ?? '?'}`;
}

/** Write a bodiless `status` answer straight to `socket` and close it once sent. */
function answerAndClose(socket: Duplex, status: number): void {
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
  }
  const closing = socket as Duplex & { destroySoon?(): void };
  if (closing.destroySoon) closing.destroySoon();
  else socket.end();
}

/**
 * One connection's timers: the headers and request timeouts from a request's
 * first byte, the keep-alive timeout between requests; each closes the
 * connection with a logged reason. It also tells a too-long request line
 * (414) from too many header bytes (431).
 */
class ConnectionGuard {
  #headers: IDelayedCall | undefined;
  #request: IDelayedCall | undefined;
  #idle: IDelayedCall | undefined;
  #inRequest = true; // the first request starts with the connection
  /** Bytes of the current request's first line seen so far, and whether its `\n` came. */
  #lineBytes = 0;
  #lineEnded = false;
  answering = false;

  constructor(
    readonly socket: Duplex,
    readonly limits: HttpLimits,
    readonly clock: IReactorTime,
  ) {
    this.#startRequest();
    socket.on('data', (chunk: Buffer) => this.#data(chunk));
    socket.once('close', () => this.#cancelAll());
  }

  /** Whether the request line is too long: an overflow then is the URL's (414), else the headers' (431). */
  get longRequestLine(): boolean {
    return !this.#lineEnded || this.#lineBytes > this.limits.maxUrlLength;
  }

  #data(chunk: Buffer): void {
    if (!this.#lineEnded) {
      const end = chunk.indexOf(0x0a);
      this.#lineEnded = end >= 0;
      this.#lineBytes += end >= 0 ? end : chunk.length;
    }
    if (this.#inRequest) return;
    this.#inRequest = true;
    this.#startRequest();
  }

  #startRequest(): void {
    this.#cancel('idle');
    const { headersTimeout, requestTimeout } = this.limits;
    this.#headers = this.#close(headersTimeout, 'request headers not complete', 408);
    this.#request = this.#close(requestTimeout, 'request not complete', 408);
  }

  /** The headers arrived (node:http's 'request'). */
  headersDone(req: IncomingMessage): void {
    this.#cancel('idle');
    this.#cancel('headers');
    this.answering = true;
    if (req.complete) this.#cancel('request');
    else req.once('end', () => this.#cancel('request'));
  }

  /** The response is sent and the connection stays open: wait for the next request. */
  responseDone(): void {
    this.answering = false;
    this.#lineEnded = false;
    this.#lineBytes = 0;
    this.#inRequest = false;
    this.#cancel('headers');
    this.#cancel('request');
    this.#idle = this.#close(this.limits.keepAliveTimeout, 'idle keep-alive connection', null);
  }

  #close(seconds: number, why: string, status: number | null): IDelayedCall {
    return this.clock.callLater(seconds, () => {
      log.info('{peer}: {why} within {seconds} s; closing the connection', {
        peer: peerOf(this.socket),
        why,
        seconds,
      });
      this.#cancelAll();
      if (status === null || this.answering) this.socket.destroy();
      else answerAndClose(this.socket, status);
    });
  }

  #cancel(which: 'headers' | 'request' | 'idle'): void {
    const call =
      which === 'headers' ? this.#headers : which === 'request' ? this.#request : this.#idle;
    if (call?.active()) call.cancel();
  }

  #cancelAll(): void {
    this.#cancel('headers');
    this.#cancel('request');
    this.#cancel('idle');
  }
}

/** The status a malformed request gets (node:http's parser error codes). */
function clientErrorStatus(code: string | undefined, guard: ConnectionGuard | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return guard?.longRequestLine ? 414 : 431;
  return 400;
}

/** Why `req` cannot be answered (405, 414, 400), or `undefined` when it can. */
function refusal(
  req: IncomingMessage,
  limits: HttpLimits,
): { status: number; why: string } | undefined {
  const url = req.url ?? '';
  if (!ALLOWED_METHODS.includes(req.method ?? ''))
    return { status: 405, why: `method ${req.method}` };
  if (url.length > limits.maxUrlLength)
    return { status: 414, why: `request target of ${url.length} bytes` };
  if (!url.startsWith('/')) return { status: 400, why: 'request target not a path' };
  return undefined;
}

/** Log the answered request at info, combined-log style, as fields. */
function logAccess(req: IncomingMessage, res: ServerResponse, started: number): void {
  const length = Number(res.getHeader('content-length') ?? 0);
  log.info('{peer} "{method} {path}" {status} {bytes}', {
    peer: peerOf(req.socket as Duplex),
    method: req.method,
    path: req.url,
    status: res.statusCode,
    bytes: req.method === 'HEAD' || !Number.isFinite(length) ? 0 : length,
    duration: (performance.now() - started) / 1000,
    userAgent: req.headers['user-agent'],
    referer: req.headers.referer,
  });
}

/**
 * An HTTP server over a woven server endpoint, holding every client to
 * {@link HttpLimits}: headers, request and keep-alive timeouts, 414/431 for
 * oversized targets and headers, 400 for unparseable requests, 405 (with
 * `Allow: GET, HEAD`) for other methods; each request is logged at info.
 * Stopping closes the listening port, closes idle keep-alive connections,
 * and makes requests still in flight close their connection once answered,
 * so a graceful shutdown does not wait for idle clients.
 */
export class HttpService extends StreamServerEndpointService {
  /** Connections with no request in flight. */
  readonly #idle = new Set<Duplex>();
  readonly #guards = new WeakMap<Duplex, ConnectionGuard>();
  readonly #limits: HttpLimits;
  #stopping = false;

  constructor(
    endpoint: IStreamServerEndpoint,
    listener: (req: IncomingMessage, res: ServerResponse) => void,
    limits: Partial<HttpLimits> = {},
    clock: IReactorTime = reactor,
  ) {
    const given = Object.entries(limits).filter(([, v]) => v !== undefined);
    const all: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...Object.fromEntries(given) };
    const server = createServer({ maxHeaderSize: all.maxHeaderSize }, (req, res) =>
      this.#serve(req, res, listener),
    );
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      const guard = this.#guards.get(socket);
      const status = clientErrorStatus(error.code, guard);
      log.info('{peer}: bad HTTP request ({code}); answered {status}', {
        peer: peerOf(socket),
        code: error.code,
        status,
      });
      if (guard?.answering) socket.destroy();
      else answerAndClose(socket, status);
    });
    super(
      endpoint,
      httpProtocol(server, (socket) => this.#track(socket, clock)),
    );
    this.#limits = all;
  }

  #track(socket: Duplex, clock: IReactorTime): void {
    this.#guards.set(socket, new ConnectionGuard(socket, this.#limits, clock));
    this.#idle.add(socket);
    socket.once('close', () => this.#idle.delete(socket));
  }

  #serve(
    req: IncomingMessage,
    res: ServerResponse,
    listener: (req: IncomingMessage, res: ServerResponse) => void,
  ): void {
    const started = performance.now();
    const socket = req.socket as Duplex;
    const guard = this.#guards.get(socket);
    guard?.headersDone(req);
    this.#idle.delete(socket);
    if (this.#stopping) res.shouldKeepAlive = false;
    res.once('finish', () => {
      logAccess(req, res, started);
      if (socket.destroyed) return;
      this.#idle.add(socket);
      guard?.responseDone();
    });
    const refused = refusal(req, this.#limits);
    if (refused === undefined) {
      listener(req, res);
      return;
    }
    log.info('{peer}: refused {why}; answered {status}', { peer: peerOf(socket), ...refused });
    if (refused.status === 405) res.setHeader('Allow', ALLOWED_METHODS.join(', '));
    res.writeHead(refused.status, { 'Content-Length': 0 }).end();
  }

  override startService() {
    this.#stopping = false;
    return super.startService();
  }

  override stopService() {
    this.#stopping = true;
    const stopped = super.stopService();
    for (const socket of this.#idle) socket.destroy();
    this.#idle.clear();
    return stopped;
  }
}
