// Deferred chains per second against native Promises (and Twisted, when
// /usr/bin/python3 can import it). Run: `npx tsx benchmarks/deferred.bench.ts`
// or `npm run bench deferred`. woven chains are driven the Twisted way (fire,
// callbacks run synchronously, nothing awaited); native chains are awaited.
import { spawnSync } from 'node:child_process';
import type { Failure } from '../lib/failure/index.js';
import { Deferred, succeed } from '../lib/defer/index.js';

const RUNS = 7;
const SEQUENTIAL = 100_000;
const OUTSTANDING = 100_000;
const STEPS = 10;

const inc = (x: number): number => x + 1;
const boom = (): never => {
  throw new RangeError('boom');
};
const trap = (f: Failure): number => {
  f.trap(RangeError);
  return -1;
};
const trapNative = (e: unknown): number => {
  if (!(e instanceof RangeError)) throw e;
  return -1;
};
let sink = 0;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Chains per second of `body` (which runs `count` chains), median of RUNS. */
async function rate(count: number, body: () => void | Promise<void>): Promise<number> {
  await body(); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    globalThis.gc?.();
    const t0 = process.hrtime.bigint();
    await body();
    const ns = Number(process.hrtime.bigint() - t0);
    rates.push(count / (ns / 1e9));
  }
  return median(rates);
}

// --- (a) new Deferred + 10 callbacks, then fired ---------------------------

function wovenFresh(): Deferred<number> {
  const d = new Deferred<number>();
  for (let i = 0; i < STEPS; i++) d.addCallback(inc);
  return d;
}

function nativeFresh(): { p: Promise<number>; fire: (v: number) => void } {
  let fire!: (v: number) => void;
  let p = new Promise<number>((r) => {
    fire = r;
  });
  for (let i = 0; i < STEPS; i++) p = p.then(inc);
  return { p, fire };
}

async function asyncFresh(start: Promise<number>): Promise<number> {
  let x = await start;
  for (let i = 0; i < STEPS - 1; i++) x = await inc(x);
  return inc(x);
}

// --- (b) already fired + 10 callbacks added after ----------------------------

function wovenFired(): Deferred<number> {
  const d = succeed(0);
  for (let i = 0; i < STEPS; i++) d.addCallback(inc);
  return d;
}

function nativeFired(): Promise<number> {
  let p = Promise.resolve(0);
  for (let i = 0; i < STEPS; i++) p = p.then(inc);
  return p;
}

async function asyncFired(): Promise<number> {
  let x = 0;
  for (let i = 0; i < STEPS; i++) x = await inc(x);
  return x;
}

// --- (c) error path: throw first, nine pass-through, trapping errback -------

function wovenError(d: Deferred<number>): Deferred<number> {
  d.addCallback(boom);
  for (let i = 0; i < STEPS - 2; i++) d.addCallback(inc);
  return d.addErrback(trap);
}

function nativeError(p: Promise<number>): Promise<number> {
  let q = p.then(boom) as Promise<number>;
  for (let i = 0; i < STEPS - 2; i++) q = q.then(inc);
  return q.catch(trapNative);
}

async function asyncError(start: Promise<number>): Promise<number> {
  try {
    let x = await start;
    boom();
    for (let i = 0; i < STEPS - 2; i++) x = await inc(x);
    return x;
  } catch (e) {
    return trapNative(e);
  }
}

interface Scenario {
  name: string;
  woven: number;
  then: number;
  async: number;
  target: number;
}

async function sequential(): Promise<Scenario[]> {
  const n = SEQUENTIAL;
  return [
    {
      name: '(a) fresh + 10 callbacks, fired',
      target: 1.5,
      woven: await rate(n, () => {
        for (let i = 0; i < n; i++) {
          const d = wovenFresh();
          d.callback(0);
          sink += d.result as number;
        }
      }),
      then: await rate(n, async () => {
        for (let i = 0; i < n; i++) {
          const c = nativeFresh();
          c.fire(0);
          sink += await c.p;
        }
      }),
      async: await rate(n, async () => {
        for (let i = 0; i < n; i++) {
          let fire!: (v: number) => void;
          const p = asyncFresh(new Promise((r) => (fire = r)));
          fire(0);
          sink += await p;
        }
      }),
    },
    {
      name: '(b) fired + 10 callbacks added',
      target: 2,
      woven: await rate(n, () => {
        for (let i = 0; i < n; i++) sink += wovenFired().result as number;
      }),
      then: await rate(n, async () => {
        for (let i = 0; i < n; i++) sink += await nativeFired();
      }),
      async: await rate(n, async () => {
        for (let i = 0; i < n; i++) sink += await asyncFired();
      }),
    },
    {
      name: '(c) error path, trapped',
      target: 1.3,
      woven: await rate(n, () => {
        for (let i = 0; i < n; i++) {
          const d = wovenError(new Deferred<number>());
          d.callback(0);
          sink += d.result as number;
        }
      }),
      then: await rate(n, async () => {
        for (let i = 0; i < n; i++) {
          let fire!: (v: number) => void;
          const p = nativeError(new Promise((r) => (fire = r)));
          fire(0);
          sink += await p;
        }
      }),
      async: await rate(n, async () => {
        for (let i = 0; i < n; i++) {
          let fire!: (v: number) => void;
          const p = asyncError(new Promise((r) => (fire = r)));
          fire(0);
          sink += await p;
        }
      }),
    },
  ];
}

async function outstanding(): Promise<Scenario[]> {
  const n = OUTSTANDING;
  const fires: ((v: number) => void)[] = new Array(n);
  const ps: Promise<number>[] = new Array(n);
  const ds: Deferred<number>[] = new Array(n);
  /** Start n native chains on pending promises, fire them all, await all. */
  const native = async (chain: (p: Promise<number>) => Promise<number>) => {
    for (let i = 0; i < n; i++) {
      let fire!: (v: number) => void;
      ps[i] = chain(new Promise((r) => (fire = r)));
      fires[i] = fire;
    }
    for (let i = 0; i < n; i++) fires[i](0);
    for (let i = 0; i < n; i++) sink += await ps[i];
  };
  return [
    {
      name: '(a) fresh + 10 callbacks, fired',
      target: 1.5,
      woven: await rate(n, () => {
        for (let i = 0; i < n; i++) ds[i] = wovenFresh();
        for (let i = 0; i < n; i++) ds[i].callback(0);
        for (let i = 0; i < n; i++) sink += ds[i].result as number;
      }),
      then: await rate(n, () =>
        native((p) => {
          for (let i = 0; i < STEPS; i++) p = p.then(inc);
          return p;
        }),
      ),
      async: await rate(n, () => native(asyncFresh)),
    },
    {
      name: '(b) fired + 10 callbacks added',
      target: 2,
      woven: await rate(n, () => {
        for (let i = 0; i < n; i++) ds[i] = succeed(0);
        for (let i = 0; i < n; i++) {
          const d = ds[i];
          for (let j = 0; j < STEPS; j++) d.addCallback(inc);
        }
        for (let i = 0; i < n; i++) sink += ds[i].result as number;
      }),
      then: await rate(n, async () => {
        for (let i = 0; i < n; i++) ps[i] = Promise.resolve(0);
        for (let i = 0; i < n; i++) {
          let p = ps[i];
          for (let j = 0; j < STEPS; j++) p = p.then(inc);
          ps[i] = p;
        }
        for (let i = 0; i < n; i++) sink += await ps[i];
      }),
      async: await rate(n, async () => {
        for (let i = 0; i < n; i++) ps[i] = asyncFired();
        for (let i = 0; i < n; i++) sink += await ps[i];
      }),
    },
    {
      name: '(c) error path, trapped',
      target: 1.3,
      woven: await rate(n, () => {
        for (let i = 0; i < n; i++) ds[i] = wovenError(new Deferred<number>());
        for (let i = 0; i < n; i++) ds[i].callback(0);
        for (let i = 0; i < n; i++) sink += ds[i].result as number;
      }),
      then: await rate(n, () => native(nativeError)),
      async: await rate(n, () => native(asyncError)),
    },
  ];
}

async function awaitCost(): Promise<{ deferred: number; native: number }> {
  const n = SEQUENTIAL;
  const d = succeed(1);
  const p = Promise.resolve(1);
  return {
    deferred: await rate(n, async () => {
      for (let i = 0; i < n; i++) sink += await d;
    }),
    native: await rate(n, async () => {
      for (let i = 0; i < n; i++) sink += await p;
    }),
  };
}

const TWISTED = `
import time, statistics
from twisted.internet.defer import Deferred, succeed
N, STEPS, RUNS = 100000, 10, 7
inc = lambda x: x + 1
def boom(_): raise RuntimeError('boom')
def trap(f):
    f.trap(RuntimeError)
    return -1
def fresh():
    for _ in range(N):
        d = Deferred()
        for _ in range(STEPS): d.addCallback(inc)
        d.callback(0)
def fired():
    for _ in range(N):
        d = succeed(0)
        for _ in range(STEPS): d.addCallback(inc)
def error():
    for _ in range(N):
        d = Deferred()
        d.addCallback(boom)
        for _ in range(STEPS - 2): d.addCallback(inc)
        d.addErrback(trap)
        d.callback(0)
def rate(fn):
    fn()
    rs = []
    for _ in range(RUNS):
        t = time.perf_counter(); fn(); rs.append(N / (time.perf_counter() - t))
    return statistics.median(rs)
print(rate(fresh), rate(fired), rate(error))
`;

function twisted(): number[] | null {
  const r = spawnSync('/usr/bin/python3', ['-c', TWISTED], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return null;
  return r.stdout.trim().split(/\s+/).map(Number);
}

const fmt = (x: number) => `${(x / 1e6).toFixed(2)}M/s`;

function print(title: string, rows: Scenario[], tw: number[] | null): boolean {
  console.log(`\n${title}`);
  let ok = true;
  rows.forEach((row, i) => {
    const best = Math.max(row.then, row.async);
    const ratio = row.woven / best;
    const met = ratio >= row.target;
    ok &&= met;
    const twCol = tw ? `  twisted ${fmt(tw[i])} (woven ${(row.woven / tw[i]).toFixed(1)}x)` : '';
    console.log(
      `  ${row.name.padEnd(34)} woven ${fmt(row.woven)}  .then ${fmt(row.then)}  async ${fmt(row.async)}` +
        `  ratio vs best native ${ratio.toFixed(2)}x (target ${row.target}x ${met ? 'met' : 'MISSED'})${twCol}`,
    );
  });
  return ok;
}

async function main(): Promise<void> {
  console.log(`median of ${RUNS} runs; chains of ${STEPS} steps`);
  const seq = await sequential();
  const out = await outstanding();
  const aw = await awaitCost();
  const tw = twisted();
  let ok = print(`one chain at a time (${SEQUENTIAL} chains)`, seq, tw);
  ok = print(`${OUTSTANDING} chains outstanding at once`, out, tw) && ok;
  const awaitRatio = aw.native / aw.deferred;
  console.log(
    `\nawait: Deferred ${fmt(aw.deferred)}, native Promise ${fmt(aw.native)}: ` +
      `await d costs ${awaitRatio.toFixed(2)}x native (target < 2x ${awaitRatio < 2 ? 'met' : 'MISSED'})`,
  );
  if (!tw) console.log('twisted: not measured (/usr/bin/python3 cannot import twisted)');
  console.log(
    `\n${ok && awaitRatio < 2 ? 'all targets met' : 'some targets missed'} (sink ${sink > 0})`,
  );
}

await main();
