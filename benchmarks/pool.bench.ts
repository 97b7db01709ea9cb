// Requests per second through a ConnectionPool of 8 against 8 connections
// managed by hand, on one echo server over TCP on 127.0.0.1: 8 workers each
// send a small request and await its echo, again and again. Median of the
// rounds, the two cases alternating within each round.
//   npx tsx benchmarks/pool.bench.ts [requests per run, default 20000] [rounds, default 5]
import {
  type Connection,
  ConnectionPool,
  connect,
  type InetAddress,
  listen,
} from '../lib/index.js';

const REQUESTS = Number(process.argv[2] ?? 20000);
const ROUNDS = Number(process.argv[3] ?? 5);
const WORKERS = 8;

/** One request: write a line, read its echo. */
async function ask(conn: Connection): Promise<void> {
  await conn.write('ping\n');
  let got = 0;
  for await (const chunk of conn) {
    got += chunk.byteLength;
    if (got >= 5) break;
  }
}

/** Requests per second with `WORKERS` loops sharing `REQUESTS` calls of `one`. */
async function rate(one: (worker: number) => Promise<void>): Promise<number> {
  let left = REQUESTS;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      while (left-- > 0) await one(worker);
    }),
  );
  return REQUESTS / ((performance.now() - start) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const port = await listen('tcp:0:interface=127.0.0.1', async function* (conn: Connection) {
  for await (const chunk of conn) yield chunk;
});
const address = `tcp:127.0.0.1:${(port.getHost() as InetAddress).port}`;
const pooled: number[] = [];
const manual: number[] = [];
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    const pool = new ConnectionPool(address, { max: WORKERS });
    pooled.push(await rate(() => pool.run(ask)));
    await pool.close();
    const conns = await Promise.all(Array.from({ length: WORKERS }, () => connect(address)));
    manual.push(await rate((worker) => ask(conns[worker]!)));
    await Promise.all(conns.map((c) => c.close()));
  }
} finally {
  await port.stopListening();
}
const p = median(pooled);
const m = median(manual);
console.log(`pool: ${REQUESTS} echo requests by ${WORKERS} workers, median of ${ROUNDS} rounds\n`);
console.log('| case | requests/s | vs hand-managed |');
console.log('| --- | --- | --- |');
console.log(`| 8 hand-managed connections | ${m.toFixed(0)} | 1.00 |`);
console.log(`| ConnectionPool max 8 | ${p.toFixed(0)} | ${(p / m).toFixed(2)} |`);
