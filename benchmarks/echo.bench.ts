// Bulk echo throughput (MB/s), 64 KiB chunks, 1 and 50 connections: woven's
// stream-style and classic echo servers vs raw node:net `socket.pipe(socket)`
// (and Twisted 22.4 when installed), all with TCP_NODELAY. Servers alternate
// within each round; medians over the rounds (ratios: of per-round ratios).
// Each server runs twice per round: as the environment has it, and with
// glibc's malloc keeping 64 MiB of slack (MALLOC_TOP_PAD_), so that the cost
// of handing freed heap back to the kernel and faulting it in again (large
// on some VMs, and paid unevenly: see the README) shows apart from the work.
// The last column counts the server's major GCs per second: a server reading
// 64 KiB buffers can fall into a run of them (V8's external-memory pressure),
// raw Node and woven alike, and a row that did swings with it.
//   npx tsx benchmarks/echo.bench.ts [seconds per run, default 2] [rounds, default 5]
import {
  type BenchServer,
  fixed,
  interleaved,
  measureOnce,
  medianOf,
  ratioOf,
  row,
  twistedAvailable,
  twistedServer,
} from './net/harness.js';

const seconds = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 5);

const twistedEcho = twistedServer(`
class Server(protocol.Protocol):
    def connectionMade(self):
        self.transport.setTcpNoDelay(True)
    def dataReceived(self, data):
        self.transport.write(data)
`);

const plain: BenchServer[] = [
  { name: 'raw node:net pipe', kind: 'raw-pipe' },
  { name: 'woven stream `for await … yield chunk`', kind: 'woven-stream-echo' },
  { name: 'woven classic `Protocol`', kind: 'woven-classic-echo' },
];
if (await twistedAvailable()) {
  plain.push({ name: 'Twisted 22.4 Protocol', kind: 'twisted', python: twistedEcho });
}
/** glibc keeps this much free heap instead of returning it to the kernel. */
const PADDED = { MALLOC_TOP_PAD_: String(64 * 1024 * 1024) };
const padded = plain.map((s) => ({ ...s, name: `${s.name}, MALLOC_TOP_PAD_`, env: PADDED }));
const servers = [...plain, ...padded];

console.log(
  `echo: MB/s echoed (64 KiB chunks) and server CPU µs per MB, ${ROUNDS} interleaved rounds of ${seconds}s runs\n`,
);
row([
  'connections',
  'server',
  'MB/s',
  'vs raw pipe',
  'server CPU µs/MB',
  'CPU vs raw',
  'major GCs/s',
]);
row(['---', '---', '---', '---', '---', '---', '---']);
for (const connections of [1, 50]) {
  const runs = await interleaved(servers, ROUNDS, async (server) => {
    const r = await measureOnce(
      server.kind,
      ['echo', connections, seconds],
      server.python,
      [],
      server.env,
    );
    const mb = (r.bytes as number) / 1e6;
    const elapsed = r.seconds as number;
    return { rate: mb / elapsed, cost: (r.cpu * 1e6) / mb, gcs: r.majorGCs / elapsed };
  });
  // Each group against its own raw pipe: the first of the group.
  for (const [start, group] of [
    [0, plain],
    [plain.length, padded],
  ] as const) {
    const raw = runs[start]!;
    for (const [i, server] of group.entries()) {
      const v = runs[start + i]!;
      row([
        connections,
        server.name,
        fixed(medianOf(v, 'rate')),
        ratioOf(v, raw, 'rate'),
        fixed(medianOf(v, 'cost')),
        ratioOf(v, raw, 'cost'),
        fixed(medianOf(v, 'gcs'), 1),
      ]);
    }
  }
}
