// Tests: tests/websocket/duplex.test.ts
import { Duplex } from 'node:stream';
import { type Connection, ConnectionDone } from '../protocols/index.js';

/**
 * A `stream.Duplex` over a woven {@link Connection}, for libraries that take
 * a Node socket-like stream (such as `ws` and `node:http`). Reads pull from
 * the connection only while the Duplex wants data (backpressure is kept);
 * a write calls back once the connection accepted it below its high-water
 * mark; `end()` half-closes; `destroy()` closes the connection (aborts it
 * when destroyed with an error). The Duplex ends when the peer closes
 * cleanly (once what was sent is read) and is destroyed with
 * `ConnectionLost` on an unclean loss, at once, even while paused. Like a
 * socket it has `remoteAddress`/`remotePort`/`localAddress`/`localPort`
 * and `destroySoon()` (end, then close once flushed).
 *
 * @example
 * ```ts
 * const conn = await connect('tcp:127.0.0.1:8080');
 * const socket = connectionDuplex(conn);
 * socket.end('GET / HTTP/1.0\r\n\r\n');
 * for await (const chunk of socket) process.stdout.write(chunk);
 * ```
 */
export function connectionDuplex(conn: Connection): Duplex {
  const reader = conn[Symbol.asyncIterator]();
  let pulling = false;
  let closeOnFinal = false; // set by destroySoon(): a full close, not a half-close

  const pull = async (duplex: Duplex): Promise<void> => {
    pulling = true;
    try {
      for (;;) {
        const result = await reader.next();
        if (duplex.destroyed) return;
        if (result.done) {
          duplex.push(null);
          return;
        }
        if (!duplex.push(result.value)) return;
      }
    } catch (error) {
      duplex.destroy(error as Error);
    } finally {
      pulling = false;
    }
  };

  const duplex = new Duplex({
    allowHalfOpen: true,
    read() {
      if (!pulling) void pull(this);
    },
    write(chunk: Uint8Array, _encoding, callback) {
      conn.write(chunk).then(() => callback(), callback);
    },
    final(callback) {
      (closeOnFinal ? conn.close() : conn.end()).then(() => callback(), callback);
    },
    destroy(error, callback) {
      if (error) conn.abort(error);
      else void conn.close();
      callback(error);
    },
  });
  addressFields(duplex, conn);
  // As net.Socket's: what node:http calls to close after a `Connection: close` response.
  Object.assign(duplex, {
    destroySoon(): void {
      if (duplex.writableFinished) duplex.destroy();
      else {
        closeOnFinal = true;
        duplex.once('finish', () => duplex.destroy());
        duplex.end();
      }
    },
  });
  const onLoss = (): void => {
    if (!(conn.signal.reason instanceof ConnectionDone))
      duplex.destroy(conn.signal.reason as Error);
  };
  if (conn.signal.aborted) queueMicrotask(onLoss);
  else {
    conn.signal.addEventListener('abort', onLoss, { once: true });
    duplex.once('close', () => conn.signal.removeEventListener('abort', onLoss));
  }
  return duplex;
}

/** Socket-like address fields (`remoteAddress`, `remotePort`, `localAddress`, `localPort`), as `node:http` users expect. */
function addressFields(duplex: Duplex, conn: Connection): void {
  const remote = conn.remoteAddress as { host?: string; port?: number };
  const local = conn.localAddress as { host?: string; port?: number };
  Object.assign(duplex, {
    remoteAddress: remote.host,
    remotePort: remote.port,
    localAddress: local.host,
    localPort: local.port,
  });
}
