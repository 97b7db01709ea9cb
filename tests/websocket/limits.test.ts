// What one WebSocket can make a server hold: unread messages are bounded in
// bytes (reading pauses, the peer is held back by TCP), and the largest
// message is 1 MiB by default on both sides (ws's own default is 100 MiB).
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import {
  connectWebSocket,
  DEFAULT_MAX_PAYLOAD,
  DEFAULT_MAX_UNREAD_BYTES,
  type WebSocketConnection,
} from '../../lib/index.js';

import { cleanups, serve, wsClient } from './helpers.js';

/** Wait (bounded) until `ready()` holds. */
async function until(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !ready(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ready()) throw new Error(`timed out waiting until ${what}`);
}

describe('WebSocket limits', () => {
  it('defaults: 1 MiB messages, 1 MiB of unread data', () => {
    expect(DEFAULT_MAX_PAYLOAD).toBe(1024 * 1024);
    expect(DEFAULT_MAX_UNREAD_BYTES).toBe(1024 * 1024);
  });

  it('pauses reading once unread messages reach maxUnreadBytes, and delivers all once read', async () => {
    let server: WebSocketConnection | undefined;
    let startReading!: () => void;
    const reading = new Promise<void>((resolve) => {
      startReading = resolve;
    });
    const received: number[] = [];
    const url = await serve(
      async (ws) => {
        server = ws;
        await reading;
        for await (const message of ws) {
          received.push((message as Uint8Array)[0]!);
          if (received.length === 16) break;
        }
        await ws.send('done');
      },
      { maxUnreadBytes: 512 * 1024, highWaterMark: 1000 },
    );
    const client = await wsClient(url);
    const done = once(client, 'message');
    for (let i = 0; i < 16; i++) client.send(Buffer.alloc(128 * 1024, i)); // 2 MiB in all
    await until(() => server?.webSocket.isPaused === true, 'the server paused reading');
    startReading();
    await done;
    expect(received).toEqual([...Array(16).keys()]);
    expect(server!.webSocket.isPaused).toBe(false);
  });

  it('a server closes with 1009 on a message over 1 MiB by default', async () => {
    const url = await serve(async (ws) => {
      await expect(
        (async () => {
          for await (const _ of ws);
        })(),
      ).rejects.toThrow(/Max payload size exceeded/);
    });
    const client = await wsClient(url);
    const closed = once(client, 'close');
    client.send(Buffer.alloc(DEFAULT_MAX_PAYLOAD + 1));
    const [code] = await closed;
    expect(code).toBe(1009);
  });

  it('a client fails the WebSocket on a message over 1 MiB by default', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    cleanups.push(() => new Promise((resolve) => wss.close(resolve)));
    wss.on('connection', (peer) => {
      peer.on('error', () => {});
      peer.send(Buffer.alloc(DEFAULT_MAX_PAYLOAD + 1));
    });
    const { port } = wss.address() as { port: number };
    const ws = await connectWebSocket(`ws://127.0.0.1:${port}`);
    cleanups.push(() => ws.close());
    await expect(
      (async () => {
        for await (const _ of ws);
      })(),
    ).rejects.toThrow(/Max payload size exceeded/);
  });
});
