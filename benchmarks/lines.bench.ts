// Line ping-pong (requests/s), 50 connections, 1 and 16 requests in flight:
// woven's classic LineReceiver and stream `lines()` servers vs a raw Node
// line server writing once per input chunk (and Twisted 22.4's LineReceiver
// when installed). Server and client run in separate processes. The servers
// are measured in rounds (one run of each per round), so load drifting on a
// shared machine hits them alike; a ratio is the median of the per-round
// ratios, a rate or a cost the median over the rounds.
//   npx tsx benchmarks/lines.bench.ts [seconds per run, default 2] [rounds, default 5]
import { measureOnce, median, row, twistedAvailable, twistedServer } from './net/harness.js';

const CONNECTIONS = 50;
const seconds = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 5);

const twistedLines = twistedServer(`
class Server(basic.LineReceiver):
    def lineReceived(self, line):
        self.sendLine(line)
`);

interface Server {
  name: string;
  kind: string;
  python?: string;
}

interface Runs {
  /** Requests per second, one per round. */
  rates: number[];
  /** Server CPU microseconds per request (user + system), one per round. */
  costs: number[];
}

const servers: Server[] = [
  { name: 'raw node:net line server', kind: 'raw-lines' },
  { name: 'woven-linereceiver', kind: 'woven-linereceiver' },
  { name: 'woven-stream-lines', kind: 'woven-stream-lines' },
];
if (await twistedAvailable()) {
  servers.push({ name: 'Twisted 22.4 LineReceiver', kind: 'twisted', python: twistedLines });
}

async function measure(inFlight: number): Promise<Runs[]> {
  const runs: Runs[] = servers.map(() => ({ rates: [], costs: [] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, server] of servers.entries()) {
      const r = await measureOnce(
        server.kind,
        ['lines', CONNECTIONS, inFlight, seconds],
        server.python,
      );
      runs[i]!.rates.push((r.requests as number) / (r.seconds as number));
      runs[i]!.costs.push((r.cpu * 1e6) / (r.requests as number));
    }
  }
  return runs;
}

/** The median over the rounds of `v[round] / base[round]`. */
function ratio(v: number[], base: number[]): string {
  return `${median(v.map((x, i) => x / base[i]!)).toFixed(2)}x`;
}

console.log(
  `lines: requests/s and server CPU µs per request, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${seconds}s runs\n`,
);
row(['in flight', 'server', 'req/s', 'vs raw', 'server CPU µs/req', 'CPU vs raw']);
row(['---', '---', '---', '---', '---', '---']);
for (const inFlight of [1, 16]) {
  const runs = await measure(inFlight);
  const raw = runs[0]!;
  for (const [i, server] of servers.entries()) {
    const v = runs[i]!;
    row([
      inFlight,
      server.name,
      median(v.rates).toFixed(0),
      ratio(v.rates, raw.rates),
      median(v.costs).toFixed(1),
      ratio(v.costs, raw.costs),
    ]);
  }
}
