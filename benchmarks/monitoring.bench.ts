// What monitoring costs: woven's stream-style echo (64 KiB chunks) and
// per-line `lines()` ping servers, 50 connections, unmonitored, with a no-op
// subscriber on every diagnostics channel, and with woven's prom-client
// metrics registered and scraped every second. Modes alternate within each
// round; a ratio is the median of the per-round ratios to the unmonitored
// server (target: within noise), CPU per unit likewise.
//   npx tsx benchmarks/monitoring.bench.ts [seconds per run, default 2] [rounds, default 5]
import {
  type BenchServer,
  fixed,
  interleaved,
  measureOnce,
  medianOf,
  ratioOf,
  row,
} from './net/harness.js';

const CONNECTIONS = 50;
const seconds = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 5);
const MODES = ['none', 'subscriber', 'metrics'] as const;

interface Workload {
  name: string;
  kind: string;
  args: (string | number)[];
  /** Units done in one run (MB or requests) from the load client's result. */
  units(result: Record<string, number | boolean>): number;
  unit: string;
}

const workloads: Workload[] = [
  {
    name: 'stream echo, 64 KiB chunks',
    kind: 'woven-stream-echo',
    args: ['echo', CONNECTIONS, seconds],
    units: (r) => (r.bytes as number) / 1e6,
    unit: 'MB',
  },
  {
    name: 'stream `lines()` ping, 16 in flight',
    kind: 'woven-stream-lines-ping',
    args: ['lines', CONNECTIONS, 16, seconds],
    units: (r) => r.requests as number,
    unit: 'req',
  },
];

console.log(
  `monitoring: rate and server CPU per unit, unmonitored vs a diagnostics subscriber vs prom-client metrics scraped every 1 s, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${seconds}s runs\n`,
);
row(['workload', 'monitoring', 'rate', 'vs none', 'server CPU µs/unit', 'CPU vs none']);
row(['---', '---', '---', '---', '---', '---']);
for (const w of workloads) {
  const servers: BenchServer[] = MODES.map((mode) => ({ name: mode, kind: w.kind }));
  const runs = await interleaved(servers, ROUNDS, async (server) => {
    process.env.WOVEN_BENCH_MONITOR = server.name; // inherited by the server process
    const r = await measureOnce(server.kind, w.args);
    const units = w.units(r);
    return { rate: units / (r.seconds as number), cost: (r.cpu * 1e6) / units };
  });
  delete process.env.WOVEN_BENCH_MONITOR;
  const none = runs[0]!;
  for (const [i, mode] of MODES.entries()) {
    const v = runs[i]!;
    row([
      w.name,
      mode,
      `${fixed(medianOf(v, 'rate'))} ${w.unit}/s`,
      ratioOf(v, none, 'rate'),
      fixed(medianOf(v, 'cost'), 1),
      ratioOf(v, none, 'cost'),
    ]);
  }
}
