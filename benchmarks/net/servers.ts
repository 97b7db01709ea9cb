// Benchmark servers, one per process: `tsx benchmarks/net/servers.ts <kind>`
// prints the port it listens on (127.0.0.1), then serves until stdin ends.
// Commands on stdin: `mem` prints its memory (after a GC when --expose-gc),
// `cpu` the CPU seconds it has used, `lateness` how late a 10 ms interval
// timer ran since the previous `lateness` (for the fairness benchmark), `gc`
// the number of major GCs V8 has run.
// WOVEN_BENCH_MONITOR=subscriber|metrics runs it monitored (see monitoring.ts).
//
// Every server sets TCP_NODELAY, as woven's transports do, so that raw Node
// and woven are compared with the same socket options.
import * as net from 'node:net';
import { createInterface } from 'node:readline';
import {
  type Handler,
  type IPushProducer,
  LineReceiver,
  lines,
  Protocol,
  reactor,
  type StreamProtocol,
} from '../../lib/index.js';
import { pong, pongAll } from './ping.js';
import { lateness } from './lateness.js';
import { majorGCs } from './major-gcs.js';
import { startMonitoring } from './monitoring.js';

class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport!.write(data);
  }
}

class Idle extends Protocol {}

/** LineReceiver with `encoding` set: lines arrive as strings, as a text protocol would take them. */
class PingLines extends LineReceiver {
  override encoding = 'latin1' as const;
  override lineReceived(line: string): void {
    this.sendLine(pong(line));
  }
}

/** LineReceiver with byte lines, each decoded by the protocol. */
class PingByteLines extends LineReceiver {
  override lineReceived(line: Uint8Array): void {
    this.sendLine(
      pong(Buffer.from(line.buffer, line.byteOffset, line.byteLength).toString('latin1')),
    );
  }
}

/** Raw Node: answers every line of an input chunk in one write. */
function rawPing(socket: net.Socket): void {
  let rest = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    const r = pongAll(rest + chunk);
    rest = r.rest;
    if (r.out) socket.write(r.out);
  });
}

/** Node's own async iterator over the socket, lines split by hand, one write per chunk. */
async function forAwaitPing(socket: net.Socket): Promise<void> {
  let rest = '';
  socket.setEncoding('latin1');
  for await (const chunk of socket) {
    const r = pongAll(rest + (chunk as string));
    rest = r.rest;
    if (r.out) socket.write(r.out);
  }
}

/** Node's readline async iterator, one write per line. */
async function readlinePing(socket: net.Socket): Promise<void> {
  const rl = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) socket.write(`${pong(line)}\r\n`);
}

const streamPingLines: StreamProtocol = async function* (conn) {
  for await (const line of lines(conn, { encoding: 'latin1' })) yield `${pong(line)}\r\n`;
};

/** An async function awaiting each write, as `await`-based protocol code does. */
const streamPingWrites: StreamProtocol = async (conn) => {
  for await (const line of lines(conn, { encoding: 'latin1' }))
    await conn.write(`${pong(line)}\r\n`);
};

/** woven's own chunk iterator, lines split by hand as Node's `for await` peer does. */
const streamPingChunks: StreamProtocol = async function* (conn) {
  let rest = '';
  for await (const chunk of conn) {
    const r = pongAll(
      rest + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1'),
    );
    rest = r.rest;
    if (r.out) yield r.out;
  }
};

const streamPingBatch: StreamProtocol = async function* (conn) {
  for await (const batch of lines(conn, { encoding: 'latin1', batch: true })) {
    let out = '';
    for (const line of batch) out += `${pong(line)}\r\n`;
    yield out;
  }
};

// --- flooding a fast reader (the fairness benchmark): 74-byte or 16 KiB writes ---

const floodSize = Number(process.argv[3] ?? 74);
const floodData = Buffer.alloc(floodSize, 'x');

function rawFlood(socket: net.Socket): void {
  const flood = () => {
    while (!socket.destroyed && socket.write(floodData));
  };
  socket.on('drain', flood);
  flood();
}

const streamYieldFlood: StreamProtocol = async function* (conn) {
  while (!conn.signal.aborted) yield floodData;
};

const streamWriteFlood: StreamProtocol = async (conn) => {
  while (!conn.signal.aborted) await conn.write(floodData);
};

/** A classic push producer: writes until paused. */
class ProducerFlood extends Protocol implements IPushProducer {
  #paused = false;
  override connectionMade(): void {
    this.transport!.registerProducer(this, true);
    this.resumeProducing();
  }
  pauseProducing(): void {
    this.#paused = true;
  }
  resumeProducing(): void {
    this.#paused = false;
    while (!this.#paused && this.connected) this.transport!.write(floodData);
  }
  stopProducing(): void {
    this.#paused = true;
  }
}

const servers: Record<string, () => Promise<number>> = {
  'raw-pipe': () => rawServer((s) => s.pipe(s)),
  'raw-data': () => rawServer((s) => s.on('data', () => {})),
  'raw-ping': () => rawServer(rawPing),
  'node-for-await-ping': () => rawServer((s) => void forAwaitPing(s).catch(() => s.destroy())),
  'node-readline-ping': () => rawServer((s) => void readlinePing(s).catch(() => s.destroy())),
  'woven-stream-echo': () =>
    wovenServer(async function* (conn) {
      for await (const chunk of conn) yield chunk;
    }),
  'woven-classic-echo': () => wovenServer(Echo),
  'woven-idle': () => wovenServer(Idle),
  'woven-stream-idle': () => wovenServer(async (conn) => conn.closed),
  'woven-linereceiver-ping': () => wovenServer(PingLines),
  'woven-linereceiver-bytes-ping': () => wovenServer(PingByteLines),
  'woven-stream-lines-ping': () => wovenServer(streamPingLines),
  'woven-stream-batch-ping': () => wovenServer(streamPingBatch),
  'woven-stream-chunk-ping': () => wovenServer(streamPingChunks),
  'woven-stream-write-ping': () => wovenServer(streamPingWrites),
  'raw-flood': () => rawServer(rawFlood),
  'woven-yield-flood': () => wovenServer(streamYieldFlood),
  'woven-write-flood': () => wovenServer(streamWriteFlood),
  'woven-producer-flood': () => wovenServer(ProducerFlood),
};

function rawServer(onConnection: (s: net.Socket) => void): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer({ noDelay: true }, (s) => {
      s.on('error', () => {});
      onConnection(s);
    });
    server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () =>
      resolve((server.address() as net.AddressInfo).port),
    );
  });
}

async function wovenServer(handler: Handler): Promise<number> {
  const port = await reactor.listenTCP(0, handler, 1024, '127.0.0.1');
  const host = port.getHost();
  return host.type === 'TCP' ? host.port : 0;
}

function memory(): { rss: number; heap: number } {
  const g = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) g?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
}

const kind = process.argv[2] ?? '';
const start = servers[kind];
if (!start) {
  console.error(`unknown server ${kind}; one of ${Object.keys(servers).join(', ')}`);
  process.exit(2);
}
startMonitoring(process.env.WOVEN_BENCH_MONITOR);
const { globalLogPublisher } = await import('../../lib/index.js');
globalLogPublisher.addObserver(() => {}); // keep the benchmark's stdout clean
const port = await start();
const timer = lateness(0.01);
const gcs = majorGCs();
console.log(String(port));
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'mem') console.log(JSON.stringify(memory()));
  if (line === 'cpu') {
    const { user, system } = process.cpuUsage();
    console.log(String((user + system) / 1e6));
  }
  if (line === 'lateness') console.log(JSON.stringify(timer.take()));
  if (line === 'gc') console.log(String(gcs.count()));
});
process.stdin.on('end', () => process.exit(0));
