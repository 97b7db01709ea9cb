// A client that sends 64 MiB while not reading must not make an echo server
// buffer it: the server's memory stays bounded and no byte is lost.
import { spawn } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { type Handler, Protocol, Reactor } from '../../lib/index.js';
import { echo, portOf } from '../helpers.js';
import { Resources } from './helpers.js';

const reactor = new Reactor();
const res = new Resources();
afterEach(() => res.closeAll());

const TOTAL = 64 * 1024 * 1024;

// What counts is memory the server *retains*, not garbage awaiting collection:
// a sample over the threshold is taken again after a full collection.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const GC_THRESHOLD = 8 * 1024 * 1024;

/**
 * The client, in its own process: writes TOTAL bytes of a known pattern
 * (honouring 'drain'), reads nothing for the first 500 ms, then reads
 * everything and prints the byte count and whether every byte matched.
 */
const clientScript = `
const net = require('node:net');
const total = ${TOTAL}, chunk = 65536;
const pattern = Buffer.alloc(chunk); for (let i = 0; i < chunk; i++) pattern[i] = (i * 7 + 3) & 255;
const s = net.connect(Number(process.argv[1]), '127.0.0.1');
s.pause();
let sent = 0;
function pump() { while (sent < total) { sent += chunk; if (!s.write(pattern)) return s.once('drain', pump); } s.end(); }
s.once('connect', pump);
setTimeout(() => {
  let got = 0, ok = true;
  s.on('data', (d) => { for (let i = 0; i < d.length; i += 997) if (d[i] !== pattern[(got + i) % chunk]) ok = false; got += d.length; });
  s.on('end', () => { console.log(JSON.stringify({ got, ok })); s.destroy(); });
  s.resume();
}, 500);
`;

async function echoUnderPressure(
  handler: Handler,
): Promise<{ got: number; ok: boolean; growth: number }> {
  const port = res.port(await reactor.listenTCP(0, handler, 50, '127.0.0.1'));
  const memory = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  gc();
  const base = memory();
  let peak = base;
  const sampler = setInterval(() => {
    let now = memory();
    if (now - base > GC_THRESHOLD) {
      gc();
      now = memory();
    }
    peak = Math.max(peak, now);
  }, 10);
  res.onClose(() => clearInterval(sampler));
  const child = spawn(process.execPath, ['-e', clientScript, String(portOf(port))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  res.onClose(() => child.kill());
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  await new Promise((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  return { ...JSON.parse(out), growth: peak - base };
}

/** A classic echo that registers its transport's reading as the producer of its writes. */
class ProducerEcho extends Protocol {
  override connectionMade() {
    this.transport!.registerProducer(this.transport!, true);
  }
  override dataReceived(data: Uint8Array) {
    this.transport!.write(data);
  }
}

describe('backpressure', () => {
  it('keeps a stream echo server’s memory bounded while the client does not read, losing no byte', async () => {
    const { got, ok, growth } = await echoUnderPressure(echo);
    expect(got).toBe(TOTAL);
    expect(ok).toBe(true);
    expect(growth).toBeLessThan(32 * 1024 * 1024);
  }, 60_000);

  it('keeps a classic echo using the producer API bounded too', async () => {
    const { got, ok, growth } = await echoUnderPressure(ProducerEcho);
    expect(got).toBe(TOTAL);
    expect(ok).toBe(true);
    expect(growth).toBeLessThan(32 * 1024 * 1024);
  }, 60_000);
});
