import { realpathSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  STATUS_CODES,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import type SendModule from 'send';
import { StreamServerEndpointService, UsageError } from '../../app/index.js';
import { type IStreamServerEndpoint, serverFromString } from '../../endpoints/index.js';
import { Logger } from '../../log/index.js';
import type { StreamProtocol } from '../../protocols/index.js';
import { reactor } from '../../time/index.js';
import { connectionDuplex } from '../../websocket/index.js';
import { defineServicePlugin } from '../plugin.js';
import { ConnectionDeadlines, type HttpTimeouts, peerOf } from './http-timeouts.js';
import { portOption } from './listen-on.js';

const log = new Logger('woven.plugins.web');

const require = createRequire(import.meta.url);

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Options of {@link staticFiles}. */
export interface StaticFilesOptions {
  /** Answer a directory without `index.html` with an HTML listing (default false: 404). */
  readonly listing?: boolean;
}

/** Whether `path` is `root` or inside it. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** An HTML page listing `dir`'s entries (dotfiles left out, as they are not served). */
async function listingPage(dir: string, pathname: string): Promise<string> {
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name));
  const items = entries.map((e) => {
    const name = e.isDirectory() ? `${e.name}/` : e.name;
    const href = encodeURIComponent(e.name) + (e.isDirectory() ? '/' : '');
    return `<li><a href="${escapeHtml(href)}">${escapeHtml(name)}</a></li>`;
  });
  const title = `Directory listing for ${escapeHtml(pathname)}`;
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>\n<body><h1>${title}</h1>\n<ul>\n${items.join('\n')}\n</ul></body></html>\n`;
}

function answer(res: ServerResponse, status: number, body = '', type = 'text/plain'): void {
  res.statusCode = status;
  res.setHeader('Content-Type', `${type}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * A request listener serving the files under `root` with `send` (types,
 * ranges, conditional GET). A directory is answered with its `index.html`,
 * or a listing when `listing` is set; `/dir` redirects to `/dir/`. A path
 * whose real path (symlinks resolved) is outside `root` is refused with 403.
 */
export function staticFiles(root: string, options: StaticFilesOptions = {}): Listener {
  const send = require('send') as typeof SendModule; // loaded when a web server is made, not on import
  const realRoot = realpathSync(root);
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return answer(res, 400, 'bad percent-encoding in the path\n');
    }
    const real = await realpath(join(realRoot, decoded)).catch(() => undefined);
    if (real !== undefined && !inside(realRoot, real)) {
      log.info('refused {path} from {peer}: its real path is outside the served directory', {
        path: pathname,
        peer: peerOf(req.socket),
      });
      return answer(res, 403, 'forbidden\n');
    }
    if (options.listing && real !== undefined && pathname.endsWith('/')) {
      const isDir = (await stat(real)).isDirectory();
      const index = await stat(join(real, 'index.html')).catch(() => undefined);
      if (isDir && !index?.isFile()) {
        return answer(res, 200, await listingPage(real, decoded), 'text/html');
      }
    }
    send(req, pathname, { root: realRoot, dotfiles: 'ignore' })
      .on('error', (error: { status?: number }) => {
        res.statusCode = error.status ?? 500;
        res.end();
      })
      .on('directory', () => {
        res.statusCode = 301;
        res.setHeader('Location', `${pathname}/`);
        res.end();
      })
      .pipe(res);
  };
  return (req, res) => {
    serve(req, res).catch((error: unknown) => {
      log.error('serving {path} failed: {reason}', { path: req.url, reason: error });
      if (!res.headersSent) answer(res, 500);
      else res.destroy();
    });
  };
}

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

/** Limits of an {@link HttpService}; timeouts in seconds (0 disables one). */
export interface HttpServiceOptions extends Partial<HttpTimeouts> {
  /** Largest request line and headers, in bytes, before a 431 answer (default 16384, Node's). */
  readonly maxHeaderSize?: number;
  /** Longest request target, in bytes, before a 414 answer (default 8192). */
  readonly maxUrlLength?: number;
}

/** The defaults of {@link HttpServiceOptions}: node:http's `headersTimeout`, `requestTimeout`, `keepAliveTimeout`. */
export const HTTP_DEFAULTS = {
  headersTimeout: 60,
  requestTimeout: 300,
  keepAliveTimeout: 5,
  maxHeaderSize: 16384,
  maxUrlLength: 8192,
} as const;

const ALLOWED_METHODS = 'GET, HEAD';

/** Why `req` is refused before it reaches the listener, if it is. */
function refusal(req: IncomingMessage, maxUrlLength: number): [number, string] | undefined {
  const target = req.url ?? '';
  if (Buffer.byteLength(target) > maxUrlLength) return [414, 'request target too long'];
  if (!target.startsWith('/') && !URL.canParse(target)) return [400, 'unparseable request target'];
  if (!URL.canParse(target, 'http://localhost')) return [400, 'unparseable request target'];
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return [405, `method ${req.method} not allowed`];
  return undefined;
}

/** The body length a response sent (its Content-Length; 0 for HEAD and 304). */
function bodyBytes(req: IncomingMessage, res: ServerResponse): number {
  if (req.method === 'HEAD' || res.statusCode === 304 || !res.writableFinished) return 0;
  return Number(res.getHeader('content-length') ?? 0);
}

/**
 * An HTTP server over a woven server endpoint. Each connection is held to a
 * request-header timeout, a request timeout and a keep-alive idle timeout
 * (node:http's own do not run on connections it did not accept); oversized
 * targets get 414, oversized headers 431, an unparseable target 400, methods
 * other than GET and HEAD 405 with `Allow: GET, HEAD`. Each request is logged
 * at info (method, path, status, bytes, duration, peer). Stopping closes the
 * listening port, closes idle keep-alive connections, and makes requests
 * still in flight close their connection once answered.
 *
 * @example
 * ```ts
 * const service = new HttpService(serverFromString(reactor, 'tcp:8080'), staticFiles('./public'), {
 *   headersTimeout: 10,
 *   keepAliveTimeout: 5,
 * });
 * await service.startService();
 * ```
 */
export class HttpService extends StreamServerEndpointService {
  /** Connections with no request in flight. */
  readonly #idle = new Set<Duplex>();
  readonly #deadlines = new WeakMap<Duplex, ConnectionDeadlines>();
  #stopping = false;

  constructor(
    endpoint: IStreamServerEndpoint,
    listener: Listener,
    options: HttpServiceOptions = {},
  ) {
    const given = Object.entries(options).filter(([, value]) => value !== undefined);
    const limits: Required<HttpServiceOptions> = { ...HTTP_DEFAULTS, ...Object.fromEntries(given) };
    // node:http's timers are off: they do not apply to connections handed to it, woven's do.
    const server = createServer(
      {
        maxHeaderSize: limits.maxHeaderSize,
        requestTimeout: 0,
        headersTimeout: 0,
        keepAliveTimeout: 0,
      },
      (req, res) => this.#serve(req, res, listener, limits.maxUrlLength),
    );
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      log.info('bad HTTP request from {peer}: {status} {reason}', {
        peer: peerOf(socket),
        status,
        reason: error.code ?? error.message,
      });
      const message = (socket as { _httpMessage?: ServerResponse })._httpMessage;
      if (!socket.writable || message?.headersSent) return void socket.destroy();
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      (socket as Duplex & { destroySoon(): void }).destroySoon();
    });
    super(
      endpoint,
      httpProtocol(server, (socket) => this.#track(socket, limits)),
    );
  }

  #track(socket: Duplex, timeouts: HttpTimeouts): void {
    this.#idle.add(socket);
    this.#deadlines.set(socket, new ConnectionDeadlines(socket, timeouts));
    socket.once('close', () => this.#idle.delete(socket));
  }

  #serve(
    req: IncomingMessage,
    res: ServerResponse,
    listener: Listener,
    maxUrlLength: number,
  ): void {
    const socket = req.socket as Duplex;
    const deadlines = this.#deadlines.get(socket);
    const started = reactor.seconds();
    deadlines?.headersReceived();
    req.once('end', () => deadlines?.requestReceived());
    req.resume(); // the body is not used: read it so the request completes
    this.#idle.delete(socket);
    if (this.#stopping) res.shouldKeepAlive = false;
    res.once('finish', () => {
      if (socket.destroyed) return;
      this.#idle.add(socket);
      if (res.shouldKeepAlive) deadlines?.idle();
    });
    res.once('close', () => logAccess(req, res, reactor.seconds() - started));
    const refused = refusal(req, maxUrlLength);
    if (refused === undefined) {
      listener(req, res);
      return;
    }
    const [status, reason] = refused;
    log.info('refused HTTP request from {peer}: {status} {reason}', {
      peer: peerOf(socket),
      status,
      reason,
    });
    if (status === 405) res.setHeader('Allow', ALLOWED_METHODS);
    else res.shouldKeepAlive = false;
    answer(res, status, `${reason}\n`);
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

/** One access-log line, in the combined log's spirit, as fields. */
function logAccess(req: IncomingMessage, res: ServerResponse, duration: number): void {
  log.info('{peer} "{method} {path}" {status} {bytes}', {
    peer: peerOf(req.socket),
    method: req.method,
    path: req.url,
    status: res.statusCode,
    bytes: bodyBytes(req, res),
    duration,
    referer: req.headers.referer,
    userAgent: req.headers['user-agent'],
  });
}

function seconds(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(value >= 0))
    throw new UsageError(`--${name}: not a number of seconds >= 0: ${value}`);
  return value;
}

/** The `web` built-in service. */
export const web = defineServicePlugin({
  name: 'web',
  description: 'Serve static files over HTTP.',
  options: {
    port: portOption('tcp:8080'),
    path: { type: 'string', default: '.', description: 'directory to serve' },
    listing: {
      type: 'boolean',
      default: false,
      description: 'list directories that have no index.html (default: 404)',
    },
    'headers-timeout': {
      type: 'number',
      default: HTTP_DEFAULTS.headersTimeout,
      description: 'seconds to receive request headers (0: none)',
    },
    'request-timeout': {
      type: 'number',
      default: HTTP_DEFAULTS.requestTimeout,
      description: 'seconds to receive a whole request (0: none)',
    },
    'keep-alive-timeout': {
      type: 'number',
      default: HTTP_DEFAULTS.keepAliveTimeout,
      description: 'seconds an idle keep-alive connection stays open (0: none)',
    },
  },
  makeService: (options) => {
    const root = resolve(options.path);
    if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`--path ${root} is not a directory`);
    }
    return new HttpService(serverFromString(reactor, options.port), staticFiles(root, options), {
      headersTimeout: seconds('headers-timeout', options['headers-timeout']),
      requestTimeout: seconds('request-timeout', options['request-timeout']),
      keepAliveTimeout: seconds('keep-alive-timeout', options['keep-alive-timeout']),
    });
  },
});
