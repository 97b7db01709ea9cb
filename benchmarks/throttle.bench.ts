// Throttling accuracy over real TCP on 127.0.0.1: a 10 MiB transfer at a
// 1 MiB/s limit should take 10 s (± 10 %). Measured for the stream style's
// `throttle(conn, { writeLimit })` and for `ThrottlingFactory`'s writeLimit
// (a download) and readLimit (an upload), against the same transfer
// unthrottled.
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

/** Write `size` bytes to `conn` in 64 KiB chunks. */
async function write(conn: Connection): Promise<void> {
  const chunk = Buffer.alloc(CHUNK, 0x61);
  for (let sent = 0; sent < size; sent += CHUNK) await conn.write(chunk);
}

/** Write `size` bytes, then close. */
async function send(conn: Connection): Promise<void> {
  await write(conn);
  await conn.close();
}

/** Read everything from `conn`; fail unless it was `size` bytes. */
async function receive(conn: Connection): Promise<void> {
  let received = 0;
  for await (const chunk of conn) received += chunk.byteLength;
  if (received !== size) throw new Error(`received ${received} of ${size} bytes`);
}

/** Write `size` bytes, half-close, and wait for the server to close once it has read them. */
async function upload(conn: Connection): Promise<void> {
  await write(conn);
  await conn.end();
  await conn.closed;
}

/** Seconds from connecting until `client` is done with the server `handler`. */
async function transfer(handler: Handler, client: (conn: Connection) => Promise<void>) {
  const port = await listen('tcp:0:interface=127.0.0.1', handler);
  try {
    const start = performance.now();
    const conn = await connect(`tcp:127.0.0.1:${(port.getHost() as InetAddress).port}`);
    await client(conn);
    return (performance.now() - start) / 1000;
  } finally {
    await port.stopListening();
  }
}

const cases: [string, Handler, (conn: Connection) => Promise<void>][] = [
  ['unthrottled download (baseline)', send, receive],
  [
    'throttle(conn, { writeLimit })',
    (conn: Connection) => send(throttle(conn, { writeLimit: limit })),
    receive,
  ],
  [
    'ThrottlingFactory({ writeLimit })',
    new ThrottlingFactory(send, { writeLimit: limit }),
    receive,
  ],
  ['unthrottled upload (baseline)', receive, upload],
  [
    'ThrottlingFactory({ readLimit })',
    new ThrottlingFactory(receive, { readLimit: limit }),
    upload,
  ],
];

const expected = size / limit;
console.log(
  `throttle: ${size / MiB} MiB at ${limit / MiB} MiB/s (expected ${expected} s ± 10 %)\n`,
);
console.log('| case | seconds | vs expected |');
console.log('| --- | --- | --- |');
for (const [name, handler, client] of cases) {
  const seconds = await transfer(handler, client);
  console.log(`| ${name} | ${seconds.toFixed(2)} | ${(seconds / expected).toFixed(3)} |`);
}
