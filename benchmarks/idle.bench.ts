// Memory per idle connection: a load client holds N idle connections to a
// server process, which reports its memory (after GC) before and after.
// woven classic and stream servers vs a raw node:net server with
// socket.on('data'). Median of RUNS runs.
//   npx tsx benchmarks/idle.bench.ts [connections, default 5000]
import { holdIdle, median, row, startServer } from './net/harness.js';

const RUNS = 3;
const connections = Number(process.argv[2] ?? 5000);

interface Memory {
  rss: number;
  heap: number;
}

async function measure(kind: string): Promise<Memory> {
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const server = await startServer(kind);
    try {
      server.child.stdin!.write('mem\n');
      const before = JSON.parse(await server.nextLine()) as Memory;
      const release = await holdIdle(server.port, connections);
      await new Promise((r) => setTimeout(r, 300)); // let the server accept them all
      server.child.stdin!.write('mem\n');
      const after = JSON.parse(await server.nextLine()) as Memory;
      await release();
      rss.push((after.rss - before.rss) / connections);
      heap.push((after.heap - before.heap) / connections);
    } finally {
      await server.stop();
    }
  }
  return { rss: median(rss), heap: median(heap) };
}

const signed = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(0)}`;

console.log(
  `idle: bytes per idle connection with ${connections} connections, median of ${RUNS} runs\n`,
);
row(['server', 'JS heap + external / conn', 'RSS / conn', 'heap vs raw', 'RSS vs raw']);
row(['---', '---', '---', '---', '---']);
const raw = await measure('raw-data');
row(['raw node:net on(data)', raw.heap.toFixed(0), raw.rss.toFixed(0), '+0', '+0']);
for (const kind of ['woven-idle', 'woven-stream-idle']) {
  const m = await measure(kind);
  row([
    kind,
    m.heap.toFixed(0),
    m.rss.toFixed(0),
    signed(m.heap - raw.heap),
    signed(m.rss - raw.rss),
  ]);
}
