// A separate application using woven as an installed package: a stream
// server and client over TCP, a WebSocket echo, and a protocol tested with
// woven/testing. Type-checked (strict, NodeNext, no skipLibCheck) and run by
// tests/package/package.test.ts; prints one JSON line with what it saw.
import {
  Clock,
  type Connection,
  connect,
  connectWebSocket,
  deferLater,
  type InetAddress,
  lines,
  listen,
  type StreamProtocol,
  webSocketServer,
} from 'woven';
import { connectionPair } from 'woven/testing';

const shout: StreamProtocol = async function* (conn) {
  for await (const line of lines(conn, { encoding: 'utf8', maxLength: 1024 })) {
    yield `${line.toUpperCase()}\r\n`;
  }
};

async function readAll(conn: Connection): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of conn) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

async function overTcp(): Promise<string> {
  const port = await listen('tcp:0:interface=127.0.0.1', shout);
  try {
    const { port: number } = port.getHost() as InetAddress;
    const conn = await connect(`tcp:host=127.0.0.1:port=${number}`);
    await conn.end('hello\r\n');
    return await readAll(conn);
  } finally {
    await port.stopListening();
  }
}

async function overWebSocket(): Promise<string> {
  const echo = webSocketServer(async function* (ws) {
    for await (const message of ws) yield message;
  });
  const port = await listen('tcp:0:interface=127.0.0.1', echo);
  try {
    const ws = await connectWebSocket(`ws://127.0.0.1:${(port.getHost() as InetAddress).port}/`);
    await ws.send('hi');
    let reply = '';
    for await (const message of ws) {
      reply = typeof message === 'string' ? message : Buffer.from(message).toString('utf8');
      break;
    }
    await ws.close();
    return reply;
  } finally {
    await port.stopListening();
  }
}

async function inMemory(): Promise<string> {
  const [client] = connectionPair({ server: shout });
  await client.end('memory\r\n');
  return readAll(client);
}

function onClock(): boolean {
  const clock = new Clock();
  const later = deferLater(clock, 5, () => 'done');
  clock.advance(5);
  return later.result === 'done';
}

const result = {
  tcp: await overTcp(),
  websocket: await overWebSocket(),
  memory: await inMemory(),
  clock: onClock(),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
