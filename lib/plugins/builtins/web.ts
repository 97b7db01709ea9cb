import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { Duplex } from 'node:stream';
import send from 'send';
import { Logger } from '../../log/index.js';
import type { Connection, StreamProtocol } from '../../protocols/index.js';
import { defineServicePlugin } from '../plugin.js';
import { listenOn, portOption } from './listen-on.js';

const log = new Logger('woven.plugins.web');

/**
 * A `stream.Duplex` over a woven `Connection`, so Node libraries that take
 * a socket (node:http, ws) can run over woven's transports. Reads pull from
 * the connection (backpressure both ways); destroying it aborts the connection.
 */
export function connectionDuplex(conn: Connection): Duplex {
  const chunks = conn[Symbol.asyncIterator]();
  const duplex = new Duplex({
    read() {
      chunks.next().then(
        (r) => (r.done ? this.push(null) : this.push(r.value)),
        (error: unknown) => this.destroy(error as Error),
      );
    },
    write(chunk: Uint8Array, _encoding, callback) {
      conn.write(chunk).then(() => callback(), callback);
    },
    final(callback) {
      conn.end().then(() => callback(), callback);
    },
    destroy(error, callback) {
      if (error) conn.abort(error);
      else void conn.close();
      callback(error);
    },
  });
  const remote = conn.remoteAddress as { host?: string; port?: number };
  Object.assign(duplex, { remoteAddress: remote.host, remotePort: remote.port });
  return duplex;
}

/** A request listener serving the files under `root` with `send` (types, ranges, conditional GET). */
export function staticFiles(root: string) {
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

/** A stream protocol that serves HTTP with `listener` (node:http over woven's connection). */
export function httpProtocol(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): StreamProtocol {
  const server = createServer(listener);
  server.on('clientError', (error, socket) => {
    log.debug('bad HTTP request: {reason}', { reason: error });
    socket.destroy();
  });
  return async (conn) => {
    const duplex = connectionDuplex(conn);
    server.emit('connection', duplex);
    await conn.closed;
  };
}

/** The `web` built-in service. */
export const web = defineServicePlugin({
  name: 'web',
  description: 'Serve static files over HTTP.',
  options: {
    port: portOption('tcp:8080'),
    path: { type: 'string', default: '.', description: 'directory to serve' },
  },
  makeService: ({ port, path }) => listenOn(port, httpProtocol(staticFiles(resolve(path)))),
});
