// Line ping-pong (requests/s), 50 connections, 1 and 16 requests in flight:
// woven's classic LineReceiver and stream `lines()` servers vs a raw Node
// line server writing once per input chunk (and Twisted 22.4's LineReceiver
// when installed). Median of RUNS runs, server and client in separate processes.
//   npx tsx benchmarks/lines.bench.ts [seconds per run, default 2]
import { measureOnce, median, row, twistedAvailable, twistedServer } from './net/harness.js';

const RUNS = 3;
const CONNECTIONS = 50;
const seconds = Number(process.argv[2] ?? 2);

const twistedLines = twistedServer(`
class Server(basic.LineReceiver):
    def lineReceived(self, line):
        self.sendLine(line)
`);

interface Result {
  /** Requests per second. */
  rate: number;
  /** Server CPU microseconds per request. */
  cost: number;
}

async function measure(kind: string, inFlight: number, python?: string): Promise<Result> {
  const rates: number[] = [];
  const costs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await measureOnce(kind, ['lines', CONNECTIONS, inFlight, seconds], python);
    rates.push((r.requests as number) / (r.seconds as number));
    costs.push((r.cpu * 1e6) / (r.requests as number));
  }
  return { rate: median(rates), cost: median(costs) };
}

function line(inFlight: number, name: string, v: Result, base: Result): void {
  row([
    inFlight,
    name,
    v.rate.toFixed(0),
    `${(v.rate / base.rate).toFixed(2)}x`,
    v.cost.toFixed(1),
    `${(v.cost / base.cost).toFixed(2)}x`,
  ]);
}

const withTwisted = await twistedAvailable();
console.log(
  `lines: requests/s and server CPU µs per request, ${CONNECTIONS} connections, median of ${RUNS} runs of ${seconds}s\n`,
);
row(['in flight', 'server', 'req/s', 'vs raw', 'server CPU µs/req', 'CPU vs raw']);
row(['---', '---', '---', '---', '---', '---']);
for (const inFlight of [1, 16]) {
  const raw = await measure('raw-lines', inFlight);
  line(inFlight, 'raw node:net line server', raw, raw);
  for (const kind of ['woven-linereceiver', 'woven-stream-lines'])
    line(inFlight, kind, await measure(kind, inFlight), raw);
  if (withTwisted)
    line(
      inFlight,
      'Twisted 22.4 LineReceiver',
      await measure('twisted', inFlight, twistedLines),
      raw,
    );
}
