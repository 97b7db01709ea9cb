import { once } from 'node:events';
import { readAll, turns } from '../helpers.js';
import { describe, expect, it } from 'vitest';
import {
  Clock,
  type Connection,
  connectionDuplex,
  connectionPair,
  connectWebSocket,
  type IStreamClientEndpoint,
  HandshakeTimeoutError,
  webSocketServer,
} from '../../lib/index.js';

const text = (chunks: Uint8Array[]): string => Buffer.concat(chunks).toString('utf8');

/** A client endpoint handing out an in-memory connection (no socket). */
function endpointOf(conn: Connection): IStreamClientEndpoint {
  return { connect: async () => conn } as unknown as IStreamClientEndpoint;
}

describe('connectionDuplex', () => {
  it('reads what the peer writes and ends on its clean close', async () => {
    const [a, b] = connectionPair();
    const duplex = connectionDuplex(a);
    await b.write('one ');
    await b.end('two');
    const chunks: Buffer[] = [];
    for await (const chunk of duplex) chunks.push(chunk as Buffer);
    expect(text(chunks)).toBe('one two');
    duplex.destroy();
  });

  it('writes reach the peer and end() half-closes the connection', async () => {
    const [a, b] = connectionPair();
    const duplex = connectionDuplex(a);
    duplex.write('hello ');
    duplex.end('world');
    expect(await readAll(b)).toBe('hello world');
    // half-closed: the other direction still works
    await b.end('reply');
    const chunks: Buffer[] = [];
    for await (const chunk of duplex) chunks.push(chunk as Buffer);
    expect(text(chunks)).toBe('reply');
  });

  it('calls back a write only once the connection accepted it (backpressure)', async () => {
    const [a, b] = connectionPair();
    const duplex = connectionDuplex(a);
    const chunk = new Uint8Array(65536).fill(120);
    let written = 0;
    let pending: Promise<void> | null = null;
    for (let i = 0; i < 2048 && pending === null; i++) {
      let calledBack = false;
      const done = new Promise<void>((resolve) =>
        duplex.write(chunk, () => {
          calledBack = true;
          resolve();
        }),
      );
      written += chunk.byteLength;
      await turns(3);
      if (!calledBack) pending = done;
    }
    expect(pending).not.toBeNull(); // the peer reads nothing: a write is held back
    const reading = readAll(b);
    await pending;
    duplex.end();
    expect((await reading).length).toBe(written);
  });

  it('destroy() closes the connection; destroy(error) aborts it', async () => {
    const [a, b] = connectionPair();
    connectionDuplex(a).destroy();
    await a.closed;
    await b.closed;
    const [c] = connectionPair();
    const duplex = connectionDuplex(c);
    duplex.on('error', () => {});
    duplex.destroy(new Error('boom'));
    await c.closed;
    expect(c.signal.aborted).toBe(true);
  });

  it('is destroyed with ConnectionLost when the peer aborts', async () => {
    const [a, b] = connectionPair();
    const duplex = connectionDuplex(a);
    duplex.resume();
    const errored = once(duplex, 'error');
    b.abort();
    const [error] = await errored;
    expect((error as Error).name).toBe('ConnectionLost');
  });

  it('learns of an unclean loss at once, even while nobody reads', async () => {
    const [a, b] = connectionPair();
    const duplex = connectionDuplex(a);
    const errored = once(duplex, 'error');
    const closed = new Promise((resolve) => duplex.once('close', resolve));
    b.abort();
    const [error] = await errored;
    expect((error as Error).name).toBe('ConnectionLost');
    await closed;
  });

  it('destroySoon() flushes, then closes the connection (as net.Socket)', async () => {
    const [a, b] = connectionPair();
    const duplex = connectionDuplex(a) as ReturnType<typeof connectionDuplex> & {
      destroySoon(): void;
    };
    duplex.write('last words');
    duplex.destroySoon();
    expect(await readAll(b)).toBe('last words');
    await a.closed;
    await b.closed;
  });

  it('pulls nothing while the Duplex does not want data', async () => {
    const [a, b] = connectionPair();
    const duplex = connectionDuplex(a);
    await b.write('x'.repeat(10));
    await turns();
    expect(duplex.readableLength).toBe(0); // no reader yet: the connection keeps the bytes
    const [chunk] = await once(duplex, 'data');
    expect(String(chunk)).toBe('x'.repeat(10));
    duplex.destroy();
  });
});

describe('WebSocket over an in-memory connection pair', () => {
  it('runs the server handler and the client with no socket', async () => {
    const [client] = connectionPair({
      server: webSocketServer(async function* (ws) {
        for await (const message of ws)
          yield typeof message === 'string' ? message.toUpperCase() : message;
      }),
    });
    const ws = await connectWebSocket(endpointOf(client), { url: 'ws://memory/' });
    await ws.send('quiet');
    const messages = ws[Symbol.asyncIterator]();
    expect((await messages.next()).value).toBe('QUIET');
    expect(await ws.close()).toEqual({ code: 1000, reason: '' });
  });

  it('aborts a connection that does not upgrade within handshakeTimeout seconds', async () => {
    const clock = new Clock();
    let handlerRan = false;
    const [client, server] = connectionPair({
      server: webSocketServer(
        async () => {
          handlerRan = true;
        },
        { handshakeTimeout: 5, clock },
      ),
    });
    await client.write('GET / HTTP/1.1\r\nHost: x\r\n'); // an unfinished request
    clock.advance(4.9);
    await turns();
    expect(server.signal.aborted).toBe(false);
    clock.advance(0.1);
    await server.closed;
    const reason = server.signal.reason as Error;
    expect(reason.name).toBe('ConnectionAborted');
    expect(reason.cause).toBeInstanceOf(HandshakeTimeoutError);
    expect(reason.cause).toMatchObject({ code: 'ERR_WEBSOCKET_HANDSHAKE_TIMEOUT', seconds: 5 });
    await client.closed;
    expect(handlerRan).toBe(false);
  });

  it('cancels the handshake timer once upgraded', async () => {
    const clock = new Clock();
    const [client, server] = connectionPair({
      server: webSocketServer(
        async function* (ws) {
          for await (const message of ws) yield message;
        },
        { handshakeTimeout: 5, clock },
      ),
    });
    const ws = await connectWebSocket(endpointOf(client), { url: 'ws://memory/' });
    expect(clock.getDelayedCalls()).toHaveLength(0);
    clock.advance(10);
    await ws.send('still here');
    expect((await ws[Symbol.asyncIterator]().next()).value).toBe('still here');
    expect(server.signal.aborted).toBe(false);
    await ws.close();
  });

  it('answers a malformed request with 400 Bad Request and closes the connection', async () => {
    const [client] = connectionPair({ server: webSocketServer(async () => {}) });
    await client.write('NOT HTTP AT ALL\r\n\r\n');
    expect(await readAll(client)).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    await client.closed;
  });
});
