// Adds the network methods (section 4 of DESIGN.md) to the core Reactor, so
// the default `reactor` and every `new Reactor()` have them.
// Tests: tests/transports/tcp.test.ts, tests/transports/tls.test.ts, tests/transports/unix.test.ts
import type { Handler } from '../protocols/index.js';
import { Reactor } from '../time/index.js';
import type { Connector } from './connector.js';
import { DEFAULT_BACKLOG, type ListeningPort } from './listening-port.js';
import { type BindAddress, connectTCP, listenTCP } from './tcp.js';
import { connectSSL, listenSSL, type TLSOptions } from './tls.js';
import { connectUNIX, listenUNIX } from './unix.js';

declare module '../time/reactor.js' {
  interface Reactor {
    /**
     * Listen for TCP connections, as Twisted's `listenTCP`: `port` 0 picks a
     * free port; `iface` `''` means every interface. Rejects with
     * `CannotListenError` when the address is in use or not allowed.
     *
     * @example
     * ```ts
     * const port = await reactor.listenTCP(0, async function* (conn) {
     *   for await (const chunk of conn) yield chunk;
     * }, 50, '127.0.0.1');
     * ```
     */
    listenTCP(
      port: number,
      handler: Handler,
      backlog?: number,
      iface?: string,
    ): Promise<ListeningPort>;
    /**
     * Connect over TCP, as Twisted's `connectTCP`: returns a started
     * `Connector` driving `handler`'s (client) factory. `timeout` in seconds.
     *
     * @example
     * ```ts
     * reactor.connectTCP('127.0.0.1', 8000, new MyClientFactory(), 5);
     * ```
     */
    connectTCP(
      host: string,
      port: number,
      handler: Handler,
      timeout?: number | null,
      bindAddress?: BindAddress,
    ): Connector;
    /** Listen for TLS connections, as Twisted's `listenSSL`; `options` are Node's `tls` server options (`key`, `cert`, ...). */
    listenSSL(
      port: number,
      handler: Handler,
      options: TLSOptions,
      backlog?: number,
      iface?: string,
    ): Promise<ListeningPort>;
    /**
     * Connect over TLS, as Twisted's `connectSSL`. The server's certificate
     * and host name are verified (Node's default); `trustRoots`/`caCerts`
     * choose the roots. Failures reach `clientConnectionFailed` as `TLSError`.
     */
    connectSSL(
      host: string,
      port: number,
      handler: Handler,
      options?: TLSOptions,
      timeout?: number | null,
      bindAddress?: BindAddress,
    ): Connector;
    /** Listen on a Unix socket, as Twisted's `listenUNIX` (`mode` of the socket file; `wantPID` takes `<path>.lock`). */
    listenUNIX(
      address: string,
      handler: Handler,
      backlog?: number,
      mode?: number,
      wantPID?: boolean,
    ): Promise<ListeningPort>;
    /** Connect to a Unix socket, as Twisted's `connectUNIX` (`checkPID` requires a live `<path>.lock` owner). */
    connectUNIX(
      address: string,
      handler: Handler,
      timeout?: number | null,
      checkPID?: boolean,
    ): Connector;
  }
}

const proto = Reactor.prototype;

proto.listenTCP = function listenTCPMethod(port, handler, backlog = DEFAULT_BACKLOG, iface = '') {
  return listenTCP(port, handler, backlog, iface);
};

proto.connectTCP = function connectTCPMethod(
  this: Reactor,
  host,
  port,
  handler,
  timeout = 30,
  bindAddress,
) {
  return connectTCP(this, host, port, handler, timeout, bindAddress);
};

proto.listenSSL = function listenSSLMethod(
  port,
  handler,
  options,
  backlog = DEFAULT_BACKLOG,
  iface = '',
) {
  return listenSSL(port, handler, options, backlog, iface);
};

proto.connectSSL = function connectSSLMethod(
  this: Reactor,
  host,
  port,
  handler,
  options = {},
  timeout = 30,
  bindAddress,
) {
  return connectSSL(this, host, port, handler, options, timeout, bindAddress);
};

proto.listenUNIX = function listenUNIXMethod(
  address,
  handler,
  backlog = DEFAULT_BACKLOG,
  mode = 0o666,
  wantPID = false,
) {
  return listenUNIX(address, handler, backlog, mode, wantPID);
};

proto.connectUNIX = function connectUNIXMethod(
  this: Reactor,
  address,
  handler,
  timeout = 30,
  checkPID = false,
) {
  return connectUNIX(this, address, handler, timeout, checkPID);
};
