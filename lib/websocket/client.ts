// Tests: tests/websocket/websocket.test.ts
import type { Duplex } from 'node:stream';
import type { ClientOptions, WebSocket } from 'ws';
import {
  type ConnectOptions,
  connect,
  type IStreamClientEndpoint,
  quoteStringArgument,
} from '../endpoints/index.js';
import { AbortError } from '../defer/index.js';
import type { IReactorTime } from '../time/index.js';
import { type IReactorNetwork, reactor as defaultReactor } from '../transports/index.js';
import { connectionDuplex } from './duplex.js';
import { HandshakeTimeoutError } from './errors.js';
import {
  DEFAULT_MAX_PAYLOAD,
  type WebSocketConnectionOptions,
  WebSocketConnection,
} from './web-socket.js';
import { wsModule } from './ws-module.js';

/**
 * Options of {@link connectWebSocket}: `ws`'s client options (`headers`,
 * `maxPayload` (woven's default 1 MiB, {@link DEFAULT_MAX_PAYLOAD}),
 * `perMessageDeflate`, ...) plus the receive bounds `highWaterMark` and
 * `maxUnreadBytes`, and:
 */
export interface ConnectWebSocketOptions
  extends Omit<ClientOptions, 'createConnection' | 'agent' | 'handshakeTimeout'>,
    WebSocketConnectionOptions {
  /** Subprotocols to offer (`Sec-WebSocket-Protocol`). */
  protocols?: string | string[];
  /**
   * The `ws://` / `wss://` URL giving the Host header and path when the
   * target is an endpoint (default `ws://localhost/`).
   */
  url?: string | URL;
  /** The reactor for endpoint descriptions (default: woven's `reactor`). */
  reactor?: IReactorNetwork;
  /** Cancels the attempt (connection and handshake): it then rejects with an `AbortError` (a `CancelledError`; `cause`: the signal's reason). */
  signal?: AbortSignal;
  /**
   * Seconds the opening handshake may take once connected; past it the
   * attempt rejects with `HandshakeTimeoutError` (default: no limit).
   */
  handshakeTimeout?: number;
  /** The clock for `handshakeTimeout` (default: woven's `reactor`). */
  clock?: IReactorTime;
}

/**
 * Open a WebSocket over woven's transports. `target` is a `ws://` or
 * `wss://` URL (connected with a `tcp:` or `tls:` endpoint), or a client
 * endpoint (or its description) with `options.url` giving the request's
 * host and path. Resolves once the handshake is done; rejects if the
 * connection or the handshake fails.
 *
 * @example
 * ```ts
 * const ws = await connectWebSocket('ws://127.0.0.1:8080/echo');
 * await ws.send('hi');
 * for await (const message of ws) { console.log(message); break; }
 * await ws.close();
 *
 * // over any endpoint, e.g. a Unix socket:
 * await connectWebSocket('unix:/run/app.sock', { url: 'ws://app/updates' });
 * ```
 */
export async function connectWebSocket(
  target: string | URL | IStreamClientEndpoint,
  options: ConnectWebSocketOptions = {},
): Promise<WebSocketConnection> {
  const {
    protocols,
    url: urlOption,
    reactor,
    signal,
    highWaterMark,
    maxUnreadBytes,
    handshakeTimeout,
    clock,
    ...wsOptions
  } = options;
  const isURL = target instanceof URL || (typeof target === 'string' && /^wss?:\/\//i.test(target));
  const url = new URL(isURL ? target : (urlOption ?? 'ws://localhost/'));
  const endpoint = isURL ? endpointFor(url) : (target as string | IStreamClientEndpoint);
  const connectOptions: ConnectOptions | undefined = signal ? { signal } : undefined;
  const conn = await connect(endpoint, reactor, connectOptions); // reactor undefined: the default one
  const socket = connectionDuplex(conn);
  const { WebSocket } = wsModule();
  const ws = new WebSocket(url, protocols, {
    maxPayload: DEFAULT_MAX_PAYLOAD,
    ...wsOptions,
    createConnection: () => socket as never,
  });
  const connection = new WebSocketConnection(ws, { highWaterMark, maxUnreadBytes });
  const timeout =
    handshakeTimeout === undefined
      ? undefined
      : (clock ?? defaultReactor).callLater(handshakeTimeout, () =>
          ws.emit('error', new HandshakeTimeoutError(handshakeTimeout)),
        );
  try {
    await opened(ws, socket, signal);
  } finally {
    if (timeout?.active()) timeout.cancel();
  }
  return connection;
}

/** Resolves when `ws` is open; rejects (and tears it down) if it fails first or `signal` aborts. */
function opened(ws: WebSocket, socket: Duplex, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error): void => {
      ws.off('open', onOpen);
      ws.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else {
        ws.terminate();
        socket.destroy();
        reject(error);
      }
    };
    const onOpen = (): void => settle();
    const onError = (error: Error): void => settle(error);
    const onAbort = (): void =>
      settle(AbortError.fromSignal(signal as AbortSignal, 'WebSocket handshake cancelled'));
    if (signal?.aborted) return onAbort();
    ws.once('open', onOpen);
    ws.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The client endpoint description for a `ws://` or `wss://` URL. */
function endpointFor(url: URL): string {
  const secure = url.protocol === 'wss:';
  const host = quoteStringArgument(url.hostname.replace(/^\[(.*)\]$/, '$1'));
  const port = url.port || (secure ? '443' : '80');
  return secure ? `tls:${host}:${port}` : `tcp:host=${host}:port=${port}`;
}
