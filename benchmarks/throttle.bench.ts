// Throttling accuracy over real TCP on 127.0.0.1: a 10 MiB transfer at a
// 1 MiB/s write limit should take 10 s (± 10 %). Measured for the stream
// style's `throttle(conn, { writeLimit })` and for `ThrottlingFactory`
// (Twisted's per-second accounting), against the same transfer unthrottled.
//   npx tsx benchmarks/throttle.bench.ts [MiB, default 10] [MiB/s, default 1]
import {
  type Connection,
  connect,
  type Handler,
  type InetAddress,
  listen,
  ThrottlingFactory,
  throttle,
} from '../lib/index.js';

const MiB = 2 ** 20;
const size = Number(process.argv[2] ?? 10) * MiB;
const limit = Number(process.argv[3] ?? 1) * MiB;
const CHUNK = 64 * 1024;

/** Write `size` bytes to `conn` in 64 KiB chunks, then close. */
async function send(conn: Connection): Promise<void> {
  const chunk = Buffer.alloc(CHUNK, 0x61);
  for (let sent = 0; sent < size; sent += CHUNK) await conn.write(chunk);
  await conn.close();
}

/** Seconds from connecting to having read everything `handler` sends. */
async function transfer(handler: Handler): Promise<number> {
  const port = await listen('tcp:0:interface=127.0.0.1', handler);
  try {
    const start = performance.now();
    const conn = await connect(`tcp:127.0.0.1:${(port.getHost() as InetAddress).port}`);
    let received = 0;
    for await (const chunk of conn) received += chunk.byteLength;
    const seconds = (performance.now() - start) / 1000;
    if (received !== size) throw new Error(`received ${received} of ${size} bytes`);
    return seconds;
  } finally {
    await port.stopListening();
  }
}

const cases: [string, Handler][] = [
  ['unthrottled (baseline)', send],
  [
    'throttle(conn, { writeLimit })',
    (conn: Connection) => send(throttle(conn, { writeLimit: limit })),
  ],
  ['ThrottlingFactory({ writeLimit })', new ThrottlingFactory(send, { writeLimit: limit })],
];

const expected = size / limit;
console.log(
  `throttle: ${size / MiB} MiB at ${limit / MiB} MiB/s (expected ${expected} s ± 10 %)\n`,
);
console.log('| case | seconds | vs expected |');
console.log('| --- | --- | --- |');
for (const [name, handler] of cases) {
  const seconds = await transfer(handler);
  console.log(`| ${name} | ${seconds.toFixed(2)} | ${(seconds / expected).toFixed(3)} |`);
}
