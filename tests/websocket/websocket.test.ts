import { once } from 'node:events';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import {
  CancelledError,
  type Connection,
  connectWebSocket,
  HandshakeTimeoutError,
  listen,
  quoteStringArgument,
  type WebSocketConnection,
  type WebSocketHandler,
  webSocketServer,
} from '../../lib/index.js';

import { captureLog, unhandledRejectionsDuring } from '../helpers.js';
import { cleanups, open, serve, wsClient } from './helpers.js';

const echo: WebSocketHandler = async function* (ws) {
  for await (const message of ws) yield message;
};

describe('webSocketServer and connectWebSocket', () => {
  it('echo server and woven client exchange text as strings and binary as Uint8Array', async () => {
    const url = await serve(echo);
    const ws = await open(`${url}/echo`);
    const messages = ws[Symbol.asyncIterator]();
    await ws.send('héllo');
    expect(await messages.next()).toEqual({ done: false, value: 'héllo' });
    await ws.send(new Uint8Array([0, 1, 255]));
    const binary = await messages.next();
    expect(binary.value).toBeInstanceOf(Uint8Array);
    expect([...(binary.value as Uint8Array)]).toEqual([0, 1, 255]);
    expect(await ws.close(1000, 'bye')).toEqual({ code: 1000, reason: 'bye' });
    expect(await messages.next()).toEqual({ done: true, value: undefined });
  });

  it('passes the upgrade request to the handler and negotiates a subprotocol', async () => {
    const url = await serve(
      async (ws, req) => {
        await ws.send(`${req.url} ${ws.protocol} ${req.socket.remoteAddress}`);
      },
      { handleProtocols: (offered) => (offered.has('chat.v2') ? 'chat.v2' : false) },
    );
    const ws = await open(`${url}/room/7`, { protocols: ['chat.v1', 'chat.v2'] });
    expect(ws.protocol).toBe('chat.v2');
    const received: unknown[] = [];
    for await (const message of ws) received.push(message);
    expect(received).toEqual(['/room/7 chat.v2 127.0.0.1']);
    expect(await ws.closed).toEqual({ code: 1000, reason: '' });
  });

  it('a handler that throws is logged and closes the WebSocket with 1011', async () => {
    const { events, stop } = captureLog();
    cleanups.push(stop);
    const url = await serve(async () => {
      throw new Error('handler bug');
    });
    const ws = await open(url);
    expect((await ws.closed).code).toBe(1011);
    const logged = events.find((e) => e.log_namespace === 'woven.websocket.server');
    expect(logged).toBeDefined();
    expect(logged!.log_level).toBe('critical'); // Logger.failure's level, as Twisted's
    expect((logged!.log_failure as { value: Error }).value.message).toBe('handler bug');
  });

  it('the server handler sees an abrupt client loss as the end of its messages, with code 1006', async () => {
    let handlerEnded!: (closed: unknown) => void;
    const serverDone = new Promise<unknown>((resolve) => {
      handlerEnded = resolve;
    });
    const url = await serve(async function* (ws) {
      for await (const message of ws) yield message;
      handlerEnded(await ws.closed); // the iteration ended
    });
    const client = await wsClient(url);
    client.terminate();
    await once(client, 'close');
    expect(await serverDone).toEqual({ code: 1006, reason: '' });
  });

  it('a reader that stops reading stops the sender (bounded buffering) and resumes when it reads', async () => {
    const size = 64 * 1024;
    const total = 1000; // 62.5 MiB if nothing held the sender back
    let produced = 0;
    const url = await serve(async function* () {
      for (; produced < total; produced++) yield new Uint8Array(size);
    });
    const ws = await open(url, { highWaterMark: 4 });
    const messages = ws[Symbol.asyncIterator]();
    await messages.next();
    let last = -1;
    for (let i = 0; i < 100 && produced !== last; i++) {
      last = produced;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(produced).toBe(last); // the sender is stalled
    expect(produced * size).toBeLessThan(32 * 1024 * 1024);
    let received = 1;
    while (!(await messages.next()).done) received++;
    expect(received).toBe(total);
    expect((await ws.closed).code).toBe(1000);
  });

  it('the client sees the close code and reason the server chose', async () => {
    const url = await serve(async (ws) => {
      await ws.close(4001, 'go away');
    });
    const ws = await open(url);
    expect(await ws.closed).toEqual({ code: 4001, reason: 'go away' });
  });

  it('the server sees the close code the client chose', async () => {
    let serverSaw: Promise<unknown> | undefined;
    const url = await serve(async (ws) => {
      serverSaw = ws.closed;
      await ws.closed;
    });
    const ws = await open(url);
    await ws.close(4002, 'done here');
    expect(await serverSaw).toEqual({ code: 4002, reason: 'done here' });
  });

  it('a ws library client talks to the woven server', async () => {
    const url = await serve(echo);
    const client = await wsClient(url);
    client.send('text');
    const [text, textIsBinary] = await once(client, 'message');
    expect([String(text), textIsBinary]).toEqual(['text', false]);
    client.send(Buffer.from([9, 8, 7]));
    const [bytes, bytesIsBinary] = await once(client, 'message');
    expect([[...(bytes as Buffer)], bytesIsBinary]).toEqual([[9, 8, 7], true]);
    client.close(1000);
    const [code] = await once(client, 'close');
    expect(code).toBe(1000);
  });

  it('a woven client talks to a plain ws server', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    server.on('connection', (socket) => {
      socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    });
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const ws = await open(`ws://127.0.0.1:${port}/`);
    const messages = ws[Symbol.asyncIterator]();
    await ws.send('ping');
    expect((await messages.next()).value).toBe('ping');
    await ws.send(new Uint8Array([42]));
    expect([...((await messages.next()).value as Uint8Array)]).toEqual([42]);
    for (const client of server.clients) client.close(4003, 'server side');
    expect(await ws.closed).toEqual({ code: 4003, reason: 'server side' });
  });

  it('connects through an endpoint description with the URL given separately', async () => {
    const url = await serve(async (ws, req) => {
      await ws.send(`${req.headers.host} ${req.url}`);
    });
    const port = new URL(url).port;
    const ws = await open(`tcp:host=127.0.0.1:port=${port}`, { url: 'ws://example.test/path' });
    const [first] = await collect(ws);
    expect(first).toBe('example.test /path');
  });

  it('serves and connects WebSockets over TLS endpoints (wss)', async () => {
    const file = (name: string): string =>
      quoteStringArgument(fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url)));
    const port = await listen(
      `ssl:0:interface=127.0.0.1:privateKey=${file('localhost.key')}:certKey=${file('localhost.crt')}`,
      webSocketServer(echo),
    );
    cleanups.push(() => port.stopListening());
    const { port: number } = port.getHost() as { port: number };
    const ws = await open(`tls:127.0.0.1:${number}:trustRoots=${file('localhost.crt')}`, {
      url: `wss://127.0.0.1:${number}/secure`,
    });
    await ws.send('over tls');
    expect((await ws[Symbol.asyncIterator]().next()).value).toBe('over tls');
  });

  it('answers a plain HTTP request with 426 Upgrade Required', async () => {
    const url = new URL(await serve(echo));
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(426);
  });

  it('rejects when the server refuses the handshake', async () => {
    const url = await serve(echo, { path: '/only-here' });
    await expect(connectWebSocket(`${url}/elsewhere`)).rejects.toThrow(/400/);
  });

  it('rejects when nothing listens', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    await expect(connectWebSocket(`ws://127.0.0.1:${port}/`)).rejects.toMatchObject({
      name: 'ConnectionRefusedError',
    });
  });

  it('delivers a large burst in order with send() backpressure, the reader pulling at its own pace', async () => {
    const count = 300;
    const size = 64 * 1024;
    const url = await serve(async function* () {
      for (let i = 0; i < count; i++) {
        const message = new Uint8Array(size);
        message[0] = i & 0xff;
        yield message;
      }
    });
    const ws = await open(url, { highWaterMark: 4 });
    let seen = 0;
    let bytes = 0;
    for await (const message of ws) {
      expect((message as Uint8Array)[0]).toBe(seen & 0xff);
      bytes += (message as Uint8Array).byteLength;
      seen++;
      if (seen % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5)); // a slow reader
    }
    expect(seen).toBe(count);
    expect(bytes).toBe(count * size);
    expect((await ws.closed).code).toBe(1000);
  });

  it('a silent server: handshakeTimeout (seconds) rejects, and the signal cancels with CancelledError', async () => {
    const serverConns: Connection[] = [];
    let secondArrived!: () => void;
    const second = new Promise<void>((resolve) => {
      secondArrived = resolve;
    });
    const port = await listen('tcp:0:interface=127.0.0.1', async (conn: Connection) => {
      if (serverConns.push(conn) === 2) secondArrived();
      for await (const _ of conn); // read the request, never answer
    });
    cleanups.push(() => port.stopListening());
    const url = `ws://127.0.0.1:${(port.getHost() as { port: number }).port}/`;
    // The server never answers: only the timeout can settle the first attempt.
    await expect(connectWebSocket(url, { handshakeTimeout: 0.1 })).rejects.toBeInstanceOf(
      HandshakeTimeoutError,
    );
    const controller = new AbortController();
    const attempt = connectWebSocket(url, { signal: controller.signal });
    await second;
    controller.abort();
    await expect(attempt).rejects.toBeInstanceOf(CancelledError);
    await Promise.all(serverConns.map((conn) => conn.closed)); // the client closed both connections
  });

  it('an unawaited send() after close does not crash the process', async () => {
    const url = await serve(echo);
    const ws = await open(url);
    await ws.close();
    const reasons = await unhandledRejectionsDuring(() => {
      void ws.send('nobody awaits this');
    });
    expect(reasons).toEqual([]);
  });

  it('a message over maxPayload closes with 1009 and the server handler sees the error', async () => {
    let failed!: (error: unknown) => void;
    const serverError = new Promise<unknown>((resolve) => {
      failed = resolve;
    });
    const url = await serve(
      async (ws) => {
        try {
          for await (const _ of ws);
        } catch (error) {
          failed(error);
        }
      },
      { maxPayload: 10 },
    );
    const ws = await open(url);
    await ws.send('x'.repeat(100));
    expect((await ws.closed).code).toBe(1009);
    expect(await serverError).toBeInstanceOf(RangeError);
  });

  it('send() after close rejects with ConnectionClosedError', async () => {
    const url = await serve(echo);
    const ws = await open(url);
    await ws.close();
    await expect(ws.send('late')).rejects.toMatchObject({ name: 'ConnectionClosedError' });
  });
});

async function collect(ws: WebSocketConnection): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const message of ws) out.push(message);
  return out;
}
