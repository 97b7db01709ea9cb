// Fairness: a server floods one client that reads as fast as it can, with
// 74-byte writes (chargen's lines) and with 16 KiB writes, while a 10 ms
// interval timer in the server records how late it runs. Each woven style
// (`for (;;) yield data`, `for (;;) await conn.write(data)`, a classic push
// producer) beside raw node:net writing until `write()` returns false and
// waiting for 'drain'. DESIGN's bound: the timer is never 100 ms late.
// Servers alternate within each round; medians over the rounds.
//   npx tsx benchmarks/fairness.bench.ts [seconds per run, default 2] [rounds, default 3]
import {
  type BenchServer,
  fixed,
  interleaved,
  medianOf,
  row,
  runClient,
  startServer,
} from './net/harness.js';

const seconds = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 3);

const styles: [string, string][] = [
  ['raw node:net, write until false, then drain', 'raw-flood'],
  ['woven `for (;;) yield data`', 'woven-yield-flood'],
  ['woven `for (;;) await conn.write(data)`', 'woven-write-flood'],
  ['woven classic push producer', 'woven-producer-flood'],
];

console.log(
  `fairness: lateness of a 10 ms timer while one fast reader is flooded, ${ROUNDS} interleaved rounds of ${seconds}s runs\n`,
);
row([
  'write size',
  'server',
  'MB/s sent',
  'timer runs',
  'median late ms',
  'max late ms',
  '< 100 ms',
]);
row(['---', '---', '---', '---', '---', '---', '---']);
for (const size of [74, 16384]) {
  const servers: BenchServer[] = styles.map(([name, kind]) => ({
    name,
    kind,
    args: [String(size)],
  }));
  const runs = await interleaved(servers, ROUNDS, async (server) => {
    const s = await startServer(server.kind, undefined, server.args);
    try {
      s.child.stdin!.write('lateness\n');
      await s.nextLine(); // forget the start-up
      const r = await runClient(['drain', s.port, seconds]);
      s.child.stdin!.write('lateness\n');
      const late = JSON.parse(await s.nextLine()) as {
        runs: number;
        maxMs: number;
        medianMs: number;
      };
      return {
        rate: (r.bytes as number) / 1e6 / (r.seconds as number),
        runs: late.runs,
        max: late.maxMs,
        median: late.medianMs,
      };
    } finally {
      await s.stop();
    }
  });
  for (const [i, server] of servers.entries()) {
    const v = runs[i]!;
    const max = medianOf(v, 'max');
    row([
      size,
      server.name,
      fixed(medianOf(v, 'rate')),
      fixed(medianOf(v, 'runs')),
      fixed(medianOf(v, 'median'), 1),
      fixed(max, 1),
      max < 100 ? '✓' : '✗',
    ]);
  }
}
