// Bulk echo throughput (MB/s), 64 KiB chunks, 1 and 50 connections: woven's
// stream-style and classic echo servers vs raw node:net `socket.pipe(socket)`
// (and Twisted 22.4 when installed). Median of RUNS runs; each server runs in
// its own process, the load client in another, on 127.0.0.1.
//   npx tsx benchmarks/echo.bench.ts [seconds per run, default 2]
import { measureOnce, median, row, twistedAvailable, twistedServer } from './net/harness.js';

const RUNS = 3;
const seconds = Number(process.argv[2] ?? 2);

const twistedEcho = twistedServer(`
class Server(protocol.Protocol):
    def dataReceived(self, data):
        self.transport.write(data)
`);

interface Result {
  /** MB/s echoed. */
  rate: number;
  /** Server CPU microseconds per MB echoed. */
  cost: number;
}

async function measure(kind: string, connections: number, python?: string): Promise<Result> {
  const rates: number[] = [];
  const costs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await measureOnce(kind, ['echo', connections, seconds], python);
    const mb = (r.bytes as number) / 1e6;
    rates.push(mb / (r.seconds as number));
    costs.push((r.cpu * 1e6) / mb);
  }
  return { rate: median(rates), cost: median(costs) };
}

function line(connections: number, name: string, v: Result, base: Result): void {
  row([
    connections,
    name,
    v.rate.toFixed(0),
    `${(v.rate / base.rate).toFixed(2)}x`,
    v.cost.toFixed(0),
    `${(v.cost / base.cost).toFixed(2)}x`,
  ]);
}

const withTwisted = await twistedAvailable();
console.log(
  `echo: MB/s echoed (64 KiB chunks) and server CPU µs per MB, median of ${RUNS} runs of ${seconds}s\n`,
);
row(['connections', 'server', 'MB/s', 'vs raw pipe', 'server CPU µs/MB', 'CPU vs raw']);
row(['---', '---', '---', '---', '---', '---']);
for (const connections of [1, 50]) {
  const raw = await measure('raw-pipe', connections);
  line(connections, 'raw node:net pipe', raw, raw);
  for (const kind of ['woven-stream-echo', 'woven-classic-echo'])
    line(connections, kind, await measure(kind, connections), raw);
  if (withTwisted)
    line(
      connections,
      'Twisted 22.4 Protocol',
      await measure('twisted', connections, twistedEcho),
      raw,
    );
}
