// Bulk echo throughput (MB/s), 64 KiB chunks, 1 and 50 connections: woven's
// stream-style and classic echo servers vs raw node:net `socket.pipe(socket)`
// (and Twisted 22.4 when installed), all with TCP_NODELAY. Servers alternate
// within each round; medians over the rounds (ratios: of per-round ratios).
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

const servers: BenchServer[] = [
  { name: 'raw node:net pipe', kind: 'raw-pipe' },
  { name: 'woven stream `for await … yield chunk`', kind: 'woven-stream-echo' },
  { name: 'woven classic `Protocol`', kind: 'woven-classic-echo' },
];
if (await twistedAvailable()) {
  servers.push({ name: 'Twisted 22.4 Protocol', kind: 'twisted', python: twistedEcho });
}

console.log(
  `echo: MB/s echoed (64 KiB chunks) and server CPU µs per MB, ${ROUNDS} interleaved rounds of ${seconds}s runs\n`,
);
row(['connections', 'server', 'MB/s', 'vs raw pipe', 'server CPU µs/MB', 'CPU vs raw']);
row(['---', '---', '---', '---', '---', '---']);
for (const connections of [1, 50]) {
  const runs = await interleaved(servers, ROUNDS, async (server) => {
    const r = await measureOnce(server.kind, ['echo', connections, seconds], server.python);
    const mb = (r.bytes as number) / 1e6;
    return { rate: mb / (r.seconds as number), cost: (r.cpu * 1e6) / mb };
  });
  const raw = runs[0]!;
  for (const [i, server] of servers.entries()) {
    const v = runs[i]!;
    row([
      connections,
      server.name,
      fixed(medianOf(v, 'rate')),
      ratioOf(v, raw, 'rate'),
      fixed(medianOf(v, 'cost')),
      ratioOf(v, raw, 'cost'),
    ]);
  }
}
