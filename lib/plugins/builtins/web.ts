import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import type SendModule from 'send';
import { StreamServerEndpointService } from '../../app/index.js';
import { type IStreamServerEndpoint, serverFromString } from '../../endpoints/index.js';
import { Logger } from '../../log/index.js';
import type { StreamProtocol } from '../../protocols/index.js';
import { StaticRootError } from '../errors.js';
import { defineServicePlugin } from '../plugin.js';
import { reactor } from '../../time/index.js';
import { connectionDuplex } from '../../websocket/index.js';
import { portOption } from './listen-on.js';

const log = new Logger('woven.plugins.web');

const require = createRequire(import.meta.url);

/** A request listener serving the files under `root` with `send` (types, ranges, conditional GET). */
export function staticFiles(root: string) {
  const send = require('send') as typeof SendModule; // loaded when a web server is made, not on import
  return (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    send(req, pathname, { root, dotfiles: 'ignore' })
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

/**
 * An HTTP server over a woven server endpoint. Stopping closes the listening
 * port, closes idle keep-alive connections, and makes requests still in
 * flight close their connection once answered, so a graceful shutdown does
 * not wait for idle clients.
 */
export class HttpService extends StreamServerEndpointService {
  /** Connections with no request in flight. */
  readonly #idle = new Set<Duplex>();
  #stopping = false;

  constructor(
    endpoint: IStreamServerEndpoint,
    listener: (req: IncomingMessage, res: ServerResponse) => void,
  ) {
    const server = createServer((req, res) => this.#serve(req, res, listener));
    server.on('clientError', (error, socket) => {
      log.debug('bad HTTP request: {reason}', { reason: error });
      socket.destroy();
    });
    super(
      endpoint,
      httpProtocol(server, (socket) => this.#track(socket)),
    );
  }

  #track(socket: Duplex): void {
    this.#idle.add(socket);
    socket.once('close', () => this.#idle.delete(socket));
  }

  #serve(
    req: IncomingMessage,
    res: ServerResponse,
    listener: (req: IncomingMessage, res: ServerResponse) => void,
  ): void {
    const socket = req.socket as Duplex;
    this.#idle.delete(socket);
    if (this.#stopping) res.shouldKeepAlive = false;
    res.once('finish', () => {
      if (!socket.destroyed) this.#idle.add(socket);
    });
    listener(req, res);
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

/** The `web` built-in service. */
export const web = defineServicePlugin({
  name: 'web',
  description: 'Serve static files over HTTP.',
  options: {
    port: portOption('tcp:8080'),
    path: { type: 'string', default: '.', description: 'directory to serve' },
  },
  makeService: ({ port, path }) => {
    const root = resolve(path);
    if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
      throw new StaticRootError(`--path ${root} is not a directory`);
    }
    return new HttpService(serverFromString(reactor, port), staticFiles(root));
  },
});
