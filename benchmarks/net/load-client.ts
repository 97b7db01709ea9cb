// The load client of the network benchmarks, run in its own process:
//   echo  <port> <connections> <seconds>            bulk echo, 64 KiB chunks → {bytes, seconds, ok}
//   lines <port> <connections> <inFlight> <seconds> `ping N` / `pong N` lines → {requests, seconds, ok}
//   drain <port> <seconds>                           read as fast as possible, then close → {bytes, seconds}
//   idle  <port> <connections>                       open idle connections, print "ready", hold until stdin ends
// Every byte that comes back is checked against what was sent.
import * as net from 'node:net';

const [mode = '', portArg = '0', ...rest] = process.argv.slice(2);
const port = Number(portArg);

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', noDelay: true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

async function connectAll(n: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < n; i += 100) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, connect))));
  }
  return sockets;
}

const CHUNK = 64 * 1024;
const pattern = Buffer.alloc(2 * CHUNK);
for (let i = 0; i < pattern.length; i++) pattern[i] = (i * 31 + 7) & 255;
const chunk = pattern.subarray(0, CHUNK);

/** One connection of the echo load: keeps `window` bytes in flight until `deadline`. */
function echoConnection(s: net.Socket, deadline: number): Promise<{ bytes: number; ok: boolean }> {
  const window = 4 * CHUNK;
  let sent = 0;
  let received = 0;
  let ok = true;
  return new Promise((resolve) => {
    const fill = () => {
      while (sent - received < window && Date.now() < deadline) {
        s.write(chunk);
        sent += CHUNK;
      }
      if (sent === received) {
        s.end();
        resolve({ bytes: received, ok });
      }
    };
    s.on('data', (d: Buffer) => {
      // Compare with the pattern at this offset (chunks repeat every CHUNK bytes).
      let off = 0;
      while (off < d.length) {
        const at = (received + off) % CHUNK;
        const n = Math.min(d.length - off, CHUNK - at);
        if (!d.subarray(off, off + n).equals(pattern.subarray(at, at + n))) ok = false;
        off += n;
      }
      received += d.length;
      fill();
    });
    s.on('error', () => {
      ok = false;
      resolve({ bytes: received, ok });
    });
    fill();
  });
}

/** One connection of the line load: keeps `inFlight` requests outstanding until `deadline`. */
function lineConnection(
  s: net.Socket,
  inFlight: number,
  deadline: number,
): Promise<{ requests: number; ok: boolean }> {
  let next = 0;
  let answered = 0;
  let ok = true;
  let pending = '';
  const request = (i: number) => `ping ${i}\r\n`;
  const reply = (i: number) => `pong ${i}\r\n`;
  return new Promise((resolve) => {
    const send = (n: number) => {
      let batch = '';
      for (let k = 0; k < n && Date.now() < deadline; k++) batch += request(next++);
      if (batch) s.write(batch);
      if (answered === next) {
        s.end();
        resolve({ requests: answered, ok });
      }
    };
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      pending += d;
      let got = 0;
      let start = 0;
      for (let i = pending.indexOf('\r\n'); i >= 0; i = pending.indexOf('\r\n', start)) {
        if (pending.slice(start, i + 2) !== reply(answered)) ok = false;
        answered++;
        got++;
        start = i + 2;
      }
      pending = pending.slice(start);
      if (got) send(got);
    });
    s.on('error', () => {
      ok = false;
      resolve({ requests: answered, ok });
    });
    send(inFlight);
  });
}

async function main(): Promise<void> {
  if (mode === 'echo') {
    const [conns = '1', seconds = '2'] = rest;
    const sockets = await connectAll(Number(conns));
    const started = performance.now();
    const results = await Promise.all(
      sockets.map((s) => echoConnection(s, Date.now() + Number(seconds) * 1000)),
    );
    const elapsed = (performance.now() - started) / 1000;
    const bytes = results.reduce((a, r) => a + r.bytes, 0);
    console.log(JSON.stringify({ bytes, seconds: elapsed, ok: results.every((r) => r.ok) }));
  } else if (mode === 'lines') {
    const [conns = '50', inFlight = '1', seconds = '2'] = rest;
    const sockets = await connectAll(Number(conns));
    const started = performance.now();
    const results = await Promise.all(
      sockets.map((s) => lineConnection(s, Number(inFlight), Date.now() + Number(seconds) * 1000)),
    );
    const elapsed = (performance.now() - started) / 1000;
    const requests = results.reduce((a, r) => a + r.requests, 0);
    console.log(JSON.stringify({ requests, seconds: elapsed, ok: results.every((r) => r.ok) }));
  } else if (mode === 'drain') {
    const [seconds = '2'] = rest;
    const [s] = await connectAll(1);
    let bytes = 0;
    s!.on('data', (d: Buffer) => {
      bytes += d.length;
    });
    const started = performance.now();
    await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
    s!.destroy();
    const elapsed = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ bytes, seconds: elapsed, ok: true }));
  } else if (mode === 'idle') {
    const [conns = '1000'] = rest;
    const sockets = await connectAll(Number(conns));
    console.log('ready');
    process.stdin.resume();
    process.stdin.on('end', () => {
      for (const s of sockets) s.destroy();
      process.exit(0);
    });
  } else {
    console.error(`unknown mode ${mode}`);
    process.exit(2);
  }
  if (mode !== 'idle') process.exit(0);
}

await main();
