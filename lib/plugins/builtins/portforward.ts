import { UsageError } from '../../app/index.js';
import { clientFromString, quoteStringArgument } from '../../endpoints/index.js';
import { Logger } from '../../log/index.js';
import type { Connection, StreamProtocol } from '../../protocols/index.js';
import { reactor } from '../../time/index.js';
import { defineServicePlugin } from '../plugin.js';
import { listenOn, portOption } from './listen-on.js';

const log = new Logger('woven.plugins.portforward');

/** Copy `from` into `to` with backpressure (each write awaited), then half-close `to`. */
async function pump(from: Connection, to: Connection): Promise<void> {
  for await (const chunk of from) await to.write(chunk);
  await to.end();
}

/**
 * A TCP proxy protocol: each accepted connection is joined to a new
 * connection to `host:port`; bytes flow both ways with backpressure and
 * half-closes are passed on. If either side fails, both are aborted.
 */
export function forwardTo(host: string, port: number): StreamProtocol {
  const description = `tcp:host=${quoteStringArgument(host)}:port=${port}`;
  return async (conn) => {
    let upstream: Connection;
    try {
      upstream = (await clientFromString(reactor, description).connect()) as Connection;
    } catch (error) {
      log.warn('cannot reach {host}:{port}: {reason}', { host, port, reason: error });
      conn.abort(error);
      return;
    }
    try {
      await Promise.all([pump(conn, upstream), pump(upstream, conn)]);
    } catch (error) {
      conn.abort(error);
      upstream.abort(error);
    }
    await Promise.all([conn.closed, upstream.closed]);
  };
}

/** The `portforward` built-in service. */
export const portforward = defineServicePlugin({
  name: 'portforward',
  description: 'Forward TCP connections to another host and port.',
  options: {
    port: portOption('tcp:8001'),
    host: { type: 'string', default: '127.0.0.1', description: 'host to forward to' },
    'dest-port': { type: 'number', description: 'port to forward to (required)' },
  },
  makeService(options) {
    const dest = options['dest-port'];
    if (dest === undefined) throw new UsageError('--dest-port is required');
    if (!Number.isInteger(dest) || dest < 1 || dest > 65535) {
      throw new UsageError(`--dest-port: not a port number: ${dest}`);
    }
    return listenOn(options.port, forwardTo(options.host, dest));
  },
});
