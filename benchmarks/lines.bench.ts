// Line servers doing text work per line (decode `ping N`, answer `pong N`),
// 50 connections, 1 and 16 requests in flight, requests/s and server CPU per
// request. Against raw node:net answering each input chunk in one write, with
// Node's own `for await (chunk of socket)` and `readline` as peers, and
// Twisted 22.4's LineReceiver when installed. Every server sets TCP_NODELAY
// (as woven does). Servers alternate within each round; a ratio is the median
// of the per-round ratios, a rate or a cost the median over the rounds.
//   npx tsx benchmarks/lines.bench.ts [seconds per run, default 2] [rounds, default 5]
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

const CONNECTIONS = 50;
const seconds = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 5);

const twistedPing = twistedServer(`
class Server(basic.LineReceiver):
    def connectionMade(self):
        self.transport.setTcpNoDelay(True)
    def lineReceived(self, line):
        if not line.startswith(b'ping '):
            raise ValueError(line)
        self.sendLine(b'pong %d' % int(line[5:]))
`);

const servers: BenchServer[] = [
  { name: 'raw node:net, one write per chunk', kind: 'raw-ping' },
  { name: 'Node `for await (chunk of socket)`', kind: 'node-for-await-ping' },
  { name: 'Node `readline` iterator', kind: 'node-readline-ping' },
  { name: 'woven `LineReceiver` (`encoding` set)', kind: 'woven-linereceiver-ping' },
  { name: 'woven `LineReceiver`, byte lines', kind: 'woven-linereceiver-bytes-ping' },
  { name: 'woven `for await (line of lines(conn))` yield', kind: 'woven-stream-lines-ping' },
  { name: 'woven `lines(conn, { batch: true })`', kind: 'woven-stream-batch-ping' },
  {
    name: 'woven `for await (line of lines(conn))` `await conn.write()`',
    kind: 'woven-stream-write-ping',
  },
  { name: 'woven `for await (chunk of conn)`, split by hand', kind: 'woven-stream-chunk-ping' },
];
if (await twistedAvailable()) {
  servers.push({ name: 'Twisted 22.4 LineReceiver', kind: 'twisted', python: twistedPing });
}

console.log(
  `lines: \`ping N\` → \`pong N\`, requests/s and server CPU µs per request, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${seconds}s runs\n`,
);
row(['in flight', 'server', 'req/s', 'vs raw', 'server CPU µs/req', 'CPU vs raw']);
row(['---', '---', '---', '---', '---', '---']);
for (const inFlight of [1, 16]) {
  const runs = await interleaved(servers, ROUNDS, async (server) => {
    const r = await measureOnce(
      server.kind,
      ['lines', CONNECTIONS, inFlight, seconds],
      server.python,
    );
    const requests = r.requests as number;
    return { rate: requests / (r.seconds as number), cost: (r.cpu * 1e6) / requests };
  });
  const raw = runs[0]!;
  for (const [i, server] of servers.entries()) {
    const v = runs[i]!;
    row([
      inFlight,
      server.name,
      fixed(medianOf(v, 'rate')),
      ratioOf(v, raw, 'rate'),
      fixed(medianOf(v, 'cost'), 1),
      ratioOf(v, raw, 'cost'),
    ]);
  }
}
