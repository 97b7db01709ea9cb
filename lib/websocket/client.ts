// Tests: tests/websocket/client.test.ts
import { type ClientOptions, WebSocket } from 'ws';
import {
  type ConnectOptions,
  connect,
  type IStreamClientEndpoint,
  quoteStringArgument,
} from '../endpoints/index.js';
import { connectionDuplex } from './duplex.js';
import { type WebSocketConnectionOptions, WebSocketConnection } from './web-socket.js';

/**
 * Options of {@link connectWebSocket}: `ws`'s client options (`headers`,
 * `maxPayload`, `perMessageDeflate`, `handshakeTimeout`, ...) plus:
 */
export interface ConnectWebSocketOptions
  extends Omit<ClientOptions, 'createConnection' | 'agent'>,
    WebSocketConnectionOptions {
  /** Subprotocols to offer (`Sec-WebSocket-Protocol`). */
  protocols?: string | string[];
  /**
   * The `ws://` / `wss://` URL giving the Host header and path when the
   * target is an endpoint (default `ws://localhost/`).
   */
  url?: string | URL;
  /** The reactor for endpoint descriptions (default: woven's `reactor`). */
  reactor?: unknown;
  /** Cancels the attempt while connecting. */
  signal?: AbortSignal;
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
  const { protocols, url: urlOption, reactor, signal, highWaterMark, ...wsOptions } = options;
  const isURL = target instanceof URL || (typeof target === 'string' && /^wss?:\/\//i.test(target));
  const url = new URL(isURL ? target : (urlOption ?? 'ws://localhost/'));
  const endpoint = isURL ? endpointFor(url) : (target as string | IStreamClientEndpoint);
  const connectOptions: ConnectOptions | undefined = signal ? { signal } : undefined;
  const conn = await connect(endpoint, reactor, connectOptions); // undefined: the default reactor
  const socket = connectionDuplex(conn);
  const ws = new WebSocket(url, protocols, {
    ...wsOptions,
    createConnection: () => socket as never,
  });
  const connection = new WebSocketConnection(ws, { highWaterMark });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      ws.off('open', onOpen);
      socket.destroy();
      reject(error);
    };
    const onOpen = (): void => {
      ws.off('error', onError);
      resolve();
    };
    ws.once('open', onOpen);
    ws.once('error', onError);
  });
  return connection;
}

/** The client endpoint description for a `ws://` or `wss://` URL. */
function endpointFor(url: URL): string {
  const secure = url.protocol === 'wss:';
  const host = quoteStringArgument(url.hostname.replace(/^\[(.*)\]$/, '$1'));
  const port = url.port || (secure ? '443' : '80');
  return secure ? `tls:${host}:${port}` : `tcp:host=${host}:port=${port}`;
}
