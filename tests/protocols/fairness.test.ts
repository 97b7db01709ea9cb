// Fairness (DESIGN §5): a connection flooding a peer that reads as fast as it
// can must leave the event loop turns to everyone else. Counted, not timed:
// a setImmediate ticker must run many times while the flood is delivered.
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectionPair,
  type Handler,
  type IPushProducer,
  Protocol,
  Reactor,
  type StreamProtocol,
} from '../../lib/index.js';
import { TURN_BUDGET_BYTES } from '../../lib/protocols/turn.js';
import { portOf } from '../helpers.js';
import { Resources } from '../transports/helpers.js';

const LINE = `${'x'.repeat(72)}\r\n`; // chargen's 74 bytes
/** The flood is 24 turns' budgets (6 MiB at 256 KiB a turn)… */
const COUNT = Math.ceil((24 * TURN_BUDGET_BYTES) / LINE.length);
const TOTAL = LINE.length * COUNT;
/** …so a fair loop turns at least this often meanwhile. */
const MIN_TURNS = 8;

/** Count setImmediate turns until `work` settles. */
async function turnsDuring(work: Promise<unknown>): Promise<number> {
  let ticks = 0;
  let running = true;
  const tick = () => {
    ticks++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await work;
  running = false;
  return ticks;
}

const yieldFlood: StreamProtocol = async function* () {
  for (let i = 0; i < COUNT; i++) yield LINE;
};

const writeFlood: StreamProtocol = async (conn) => {
  for (let i = 0; i < COUNT; i++) await conn.write(LINE);
  await conn.close();
};

/** A classic push producer writing until paused, COUNT lines in all. */
class ProducerFlood extends Protocol implements IPushProducer {
  #paused = false;
  #sent = 0;
  override connectionMade(): void {
    this.transport!.registerProducer(this, true);
    this.resumeProducing();
  }
  pauseProducing(): void {
    this.#paused = true;
  }
  resumeProducing(): void {
    this.#paused = false;
    while (!this.#paused && this.#sent < COUNT) {
      this.transport!.write(LINE);
      this.#sent++;
    }
    if (this.#sent === COUNT) {
      this.transport!.unregisterProducer();
      this.transport!.loseConnection();
    }
  }
  stopProducing(): void {
    this.#paused = true;
  }
}

describe('fairness over the memory transport', () => {
  for (const [style, handler] of [
    ['for (;;) yield line', yieldFlood],
    ['for (;;) await conn.write(line)', writeFlood],
  ] as const) {
    it(`lets the loop turn while \`${style}\` floods a fast reader`, async () => {
      const [client] = connectionPair({ server: handler });
      const read = (async () => {
        let got = 0;
        for await (const chunk of client) got += chunk.byteLength;
        return got;
      })();
      const turns = await turnsDuring(read);
      expect(await read).toBe(TOTAL);
      expect(turns).toBeGreaterThanOrEqual(MIN_TURNS);
    });
  }
});

describe('fairness over TCP', () => {
  const reactor = new Reactor();
  const res = new Resources();
  afterEach(() => res.closeAll());

  /** Serve `handler`, read everything a raw client receives until the server closes. */
  async function floodedBytes(handler: Handler): Promise<{ got: number; turns: number }> {
    const port = portOf(res.port(await reactor.listenTCP(0, handler, 50, '127.0.0.1')));
    const socket = net.connect(port, '127.0.0.1');
    res.socket(socket);
    const read = new Promise<number>((resolve, reject) => {
      let got = 0;
      socket.on('data', (d: Buffer) => {
        got += d.length;
      });
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
    });
    const turns = await turnsDuring(read);
    return { got: await read, turns };
  }

  for (const [style, handler] of [
    ['for (;;) yield line', yieldFlood],
    ['for (;;) await conn.write(line)', writeFlood],
    ['a classic push producer', ProducerFlood],
  ] as const) {
    it(`lets the loop turn while ${style} floods a fast reader`, async () => {
      const { got, turns } = await floodedBytes(handler);
      expect(got).toBe(TOTAL);
      expect(turns).toBeGreaterThanOrEqual(MIN_TURNS);
    });
  }
});
