// The websocket tests' shared setup: servers and clients closed after each test.
import { once } from 'node:events';
import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import {
  connectWebSocket,
  type IListeningPort,
  listen,
  type WebSocketConnection,
  type WebSocketHandler,
  webSocketServer,
} from '../../lib/index.js';

/** What to undo after the current test, last first. */
export const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Serve `handler` on a free local port; returns its `ws://` URL. */
export async function serve(
  handler: WebSocketHandler,
  options?: Parameters<typeof webSocketServer>[1],
): Promise<string> {
  const port: IListeningPort = await listen(
    'tcp:0:interface=127.0.0.1',
    webSocketServer(handler, options),
  );
  cleanups.push(() => port.stopListening());
  const { port: number } = port.getHost() as { port: number };
  return `ws://127.0.0.1:${number}`;
}

/** A woven WebSocket client, closed after the test. */
export async function open(
  url: string,
  options?: Parameters<typeof connectWebSocket>[1],
): Promise<WebSocketConnection> {
  const ws = await connectWebSocket(url, options);
  cleanups.push(() => ws.close());
  return ws;
}

/** A `ws` library client, closed after the test. */
export async function wsClient(
  url: string,
  protocols?: string | string[],
  options?: ConstructorParameters<typeof WebSocket>[2],
): Promise<WebSocket> {
  const client = new WebSocket(url, protocols, options);
  cleanups.push(async () => {
    if (client.readyState !== WebSocket.CLOSED) {
      client.terminate();
      await once(client, 'close');
    }
  });
  await once(client, 'open');
  return client;
}
