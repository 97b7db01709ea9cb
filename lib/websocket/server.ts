// Tests: tests/websocket/websocket.test.ts
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerOptions, WebSocket } from 'ws';
import { Logger } from '../log/index.js';
import { type Connection, isAsyncIterable, type StreamProtocol } from '../protocols/index.js';
import { type IReactorTime, reactor } from '../time/index.js';
import { HandshakeTimeoutError } from './errors.js';
import { connectionDuplex } from './duplex.js';
import {
  DEFAULT_MAX_PAYLOAD,
  type WebSocketConnectionOptions,
  type WebSocketMessage,
  WebSocketConnection,
} from './web-socket.js';
import { wsModule } from './ws-module.js';

/**
 * What `webSocketServer` runs for each WebSocket: an async generator (what
 * it yields is sent as messages; when it returns the WebSocket closes with
 * 1000) or an async function (the WebSocket closes with 1000 when it
 * settles, unless already closed). If it throws, the error is logged and
 * the WebSocket closed with 1011.
 */
export type WebSocketHandler = (
  ws: WebSocketConnection,
  request: IncomingMessage,
) => AsyncIterable<WebSocketMessage> | PromiseLike<unknown>;

/**
 * Options of {@link webSocketServer}: `ws`'s server options (`path`,
 * `handleProtocols`, `maxPayload` (woven's default 1 MiB,
 * {@link DEFAULT_MAX_PAYLOAD}), `perMessageDeflate`, `verifyClient`, ...)
 * except those about its own HTTP server, plus the per-WebSocket receive
 * bounds `highWaterMark` and `maxUnreadBytes`, and:
 */
export interface WebSocketServerOptions
  extends Omit<ServerOptions, 'noServer' | 'server' | 'port' | 'host' | 'backlog'>,
    WebSocketConnectionOptions {
  /**
   * Seconds a connection has to complete the upgrade handshake before it
   * is aborted with `HandshakeTimeoutError` (default 30).
   */
  handshakeTimeout?: number;
  /** The clock for `handshakeTimeout` (default: woven's `reactor`). */
  clock?: IReactorTime;
}

const log = new Logger('woven.websocket.server');

/**
 * A woven stream protocol serving WebSockets: it reads the HTTP upgrade
 * request on each connection (with `node:http`'s parser), completes the
 * handshake (with `ws`) and runs `handler` on the WebSocket. Plain HTTP
 * requests get `426 Upgrade Required`; a connection that has not upgraded
 * within `handshakeTimeout` seconds is aborted. Use it wherever a handler goes:
 * `listen('tcp:8080', webSocketServer(...))`.
 *
 * @example
 * ```ts
 * const port = await listen('tcp:8080', webSocketServer(async function* (ws, request) {
 *   for await (const message of ws) yield message; // echo
 * }));
 * ```
 */
export function webSocketServer(
  handler: WebSocketHandler,
  options: WebSocketServerOptions = {},
): StreamProtocol {
  const {
    highWaterMark,
    maxUnreadBytes,
    handshakeTimeout = 30,
    clock = reactor,
    ...wsOptions
  } = options;
  const { WebSocketServer } = wsModule();
  const wss = new WebSocketServer({
    maxPayload: DEFAULT_MAX_PAYLOAD,
    ...wsOptions,
    noServer: true,
  });
  const http = createServer(refuseRequest);
  const upgrades = new WeakMap<Duplex, (ws: WebSocket, request: IncomingMessage) => void>();
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(request, socket, head, (ws) => upgrades.get(socket)?.(ws, request));
  });
  http.on('clientError', (_error, socket: Duplex) => {
    if (socket.writable) socket.write('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    (socket as Duplex & { destroySoon(): void }).destroySoon();
  });

  return async (conn: Connection) => {
    const socket = connectionDuplex(conn);
    const socketClosed = new Promise<void>((resolve) => socket.once('close', resolve));
    const timeout = clock.callLater(handshakeTimeout, () =>
      conn.abort(new HandshakeTimeoutError(handshakeTimeout)),
    );
    let running: Promise<void> = Promise.resolve();
    upgrades.set(socket, (ws, request) => {
      if (timeout.active()) timeout.cancel();
      running = runHandler(
        handler,
        new WebSocketConnection(ws, { highWaterMark, maxUnreadBytes }),
        request,
      );
    });
    http.emit('connection', socket);
    await socketClosed;
    if (timeout.active()) timeout.cancel();
    await running;
  };
}

function refuseRequest(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, {
    Connection: 'close',
    Upgrade: 'websocket',
    'Content-Type': 'text/plain',
  });
  response.end('426 Upgrade Required: this server speaks WebSocket only\n');
}

async function runHandler(
  handler: WebSocketHandler,
  ws: WebSocketConnection,
  request: IncomingMessage,
): Promise<void> {
  try {
    const result = handler(ws, request);
    if (isAsyncIterable<WebSocketMessage>(result)) await sendAll(ws, result);
    else await result;
    await ws.close(1000);
  } catch (error) {
    log.failure('WebSocket handler failed', error);
    await ws.close(1011, 'internal error');
  }
}

/** Send what `messages` yields until it ends or the WebSocket closes. */
async function sendAll(
  ws: WebSocketConnection,
  messages: AsyncIterable<WebSocketMessage>,
): Promise<void> {
  const iterator = messages[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    try {
      await ws.send(next.value);
    } catch (error) {
      if (ws.webSocket.readyState === ws.webSocket.OPEN) throw error;
      break; // the peer is gone: stop the generator (its finally blocks run)
    }
  }
  await iterator.return?.();
}
