// The README's examples, run as written (ports made ephemeral).
import { afterEach, describe, expect, it } from 'vitest';
import { readAll, serve, stopServing } from '../helpers.js';
import {
  Clock,
  connect,
  connectWebSocket,
  deferToThread,
  Deferred,
  deferLater,
  type Failure,
  LineReceiver,
  lines,
  type StreamProtocol,
  webSocketServer,
} from '../../lib/index.js';
import { connectionPair } from '../../lib/testing/index.js';

const shout: StreamProtocol = async function* (conn) {
  for await (const line of lines(conn, { encoding: 'utf8', maxLength: 1024 })) {
    if (line === 'quit') return;
    yield `${line.toUpperCase()}\r\n`;
  }
};

class Shout extends LineReceiver {
  override lineReceived(line: Uint8Array): void {
    const text = Buffer.from(line).toString('utf8');
    if (text === 'quit') this.transport!.loseConnection();
    else this.sendLine(text.toUpperCase());
  }
}

afterEach(stopServing);

/** Serve `handler` on 127.0.0.1; its port. */
async function servePort(handler: Parameters<typeof serve>[0]): Promise<number> {
  return (await serve(handler)).port;
}

describe('README examples', () => {
  it('the echo server echoes', async () => {
    const echo: StreamProtocol = async function* (conn) {
      for await (const chunk of conn) yield chunk;
    };
    const port = await servePort(echo);
    const conn = await connect(`tcp:host=127.0.0.1:port=${port}`);
    await conn.end('ping');
    expect(await readAll(conn)).toBe('ping');
  });

  it.each([
    ['stream', shout],
    ['classic', Shout],
  ] as const)(
    'the %s shout server answers in upper case and closes on quit',
    async (_, handler) => {
      const port = await servePort(handler);
      const conn = await connect(`tcp:host=127.0.0.1:port=${port}`);
      await conn.write('hello\r\nworld\r\nquit\r\n');
      expect(await readAll(conn)).toBe('HELLO\r\nWORLD\r\n');
    },
  );

  it('connectionPair tests the stream protocol with no socket', async () => {
    const [client] = connectionPair({ server: shout });
    await client.end('hello\r\n');
    expect(await readAll(client)).toBe('HELLO\r\n');
  });

  it('a Deferred runs callbacks synchronously and can be awaited', async () => {
    const d = new Deferred<number>();
    d.addCallback((x) => x + 1).addErrback((f: Failure) => {
      f.trap(TypeError);
      return 0;
    });
    d.callback(41);
    expect(d.result).toBe(42);
    expect(await d).toBe(42);
  });

  it('Clock makes deferLater exact', () => {
    const clock = new Clock();
    const later = deferLater(clock, 5, () => 'done');
    clock.advance(4.9);
    expect(later.called).toBe(false);
    clock.advance(0.1);
    expect(later.result).toBe('done');
  });

  it('deferToThread runs a self-contained function on a worker thread', async () => {
    const total = await deferToThread((n: number) => {
      let t = 0;
      for (let i = 0; i < n; i++) t += i;
      return t;
    }, 1000);
    expect(total).toBe(499500);
  });

  it('a WebSocket echo server answers a woven client', async () => {
    const port = await servePort(
      webSocketServer(async function* (ws) {
        for await (const message of ws) yield message;
      }),
    );
    const ws = await connectWebSocket(`ws://127.0.0.1:${port}/`);
    await ws.send('hi');
    for await (const message of ws) {
      expect(message).toBe('hi');
      break;
    }
    ws.close();
    await ws.closed;
  });
});
