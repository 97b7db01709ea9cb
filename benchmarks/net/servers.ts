// Benchmark servers, one per process: `tsx benchmarks/net/servers.ts <kind>`
// prints the port it listens on (127.0.0.1), then serves until killed. On a
// `mem` line on stdin it prints its memory (after a GC when --expose-gc), on
// `cpu` the CPU seconds it has used.
import * as net from 'node:net';
import { createInterface } from 'node:readline';
import { LineReceiver, lines, Protocol, reactor } from '../../lib/index.js';

class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport!.write(data);
  }
}

class Idle extends Protocol {}

class LineEcho extends LineReceiver {
  override lineReceived(line: Uint8Array): void {
    this.sendLine(line);
  }
}

const CRLF = Buffer.from('\r\n');

/** Raw Node line server: splits each input chunk and answers all its lines in one write. */
function rawLines(socket: net.Socket): void {
  let rest: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    const data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    const out: Buffer[] = [];
    let start = 0;
    for (let i = data.indexOf(CRLF); i >= 0; i = data.indexOf(CRLF, start)) {
      out.push(data.subarray(start, i + 2));
      start = i + 2;
    }
    rest = data.subarray(start);
    if (out.length) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
  });
  socket.on('error', () => {});
}

const servers: Record<string, () => Promise<number>> = {
  'raw-pipe': () => rawServer((s) => s.pipe(s)),
  'raw-echo': () => rawServer((s) => s.on('data', (d) => s.write(d))),
  'raw-data': () => rawServer((s) => s.on('data', () => {})),
  'raw-lines': () => rawServer(rawLines),
  'woven-stream-echo': () =>
    wovenServer(async function* (conn) {
      for await (const chunk of conn) yield chunk;
    }),
  'woven-classic-echo': () => wovenServer(Echo),
  'woven-idle': () => wovenServer(Idle),
  'woven-stream-idle': () => wovenServer(async (conn) => conn.closed),
  'woven-linereceiver': () => wovenServer(LineEcho),
  'woven-stream-lines': () =>
    wovenServer(async function* (conn) {
      for await (const line of lines(conn)) yield Buffer.concat([line, CRLF]);
    }),
};

function rawServer(onConnection: (s: net.Socket) => void): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer((s) => {
      s.on('error', () => {});
      onConnection(s);
    });
    server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () =>
      resolve((server.address() as net.AddressInfo).port),
    );
  });
}

async function wovenServer(handler: Parameters<typeof reactor.listenTCP>[1]): Promise<number> {
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
const { globalLogPublisher } = await import('../../lib/index.js');
globalLogPublisher.addObserver(() => {}); // keep the benchmark's stdout clean
const port = await start();
console.log(String(port));
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'mem') console.log(JSON.stringify(memory()));
  if (line === 'cpu') {
    const { user, system } = process.cpuUsage();
    console.log(String((user + system) / 1e6));
  }
  if (line === 'cpu-split') {
    const { user, system } = process.cpuUsage();
    console.log(JSON.stringify({ user: user / 1e6, system: system / 1e6 }));
  }
});
process.stdin.on('end', () => process.exit(0));
