// Deferred chains per second against native Promises (and Twisted, when
// /usr/bin/python3 can import it). Run: `npx tsx benchmarks/deferred.bench.ts`
// or `npm run bench deferred`. woven chains are driven the Twisted way (fire,
// callbacks run synchronously, nothing awaited); native chains are awaited.
import { spawnSync } from 'node:child_process';
import type { Failure } from '../lib/failure/index.js';
import { Deferred, succeed } from '../lib/defer/index.js';

const RUNS = 5;
const SEQUENTIAL = 100_000;
const OUTSTANDING = 100_000;
const STEPS = 10;

const inc = (x: number): number => x + 1;
const boom = (): never => {
  throw new RangeError('boom');
};
// The same error object every time: measures the chains' error path without
// V8's stack capture, whose cost grows with the stack depth at the throw
// (deeper in woven, whose callbacks run synchronously inside the caller).
const SHARED_ERROR = new RangeError('boom');
const boomShared = (): never => {
  throw SHARED_ERROR;
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
  return s[Math.floor(s.length / 2)]!;
}

type Body = () => void | Promise<void>;

/**
 * Chains per second of each body (each runs `count` chains): median of RUNS
 * runs, the bodies interleaved run by run so that machine load hits all alike.
 */
async function compare<K extends string>(
  count: number,
  bodies: Record<K, Body>,
): Promise<Record<K, number>> {
  const keys = Object.keys(bodies) as K[];
  const rates = new Map<K, number[]>(keys.map((k) => [k, []]));
  for (const k of keys) await bodies[k](); // warm-up
  for (let r = 0; r < RUNS; r++) {
    for (const k of keys) {
      globalThis.gc?.();
      const t0 = process.hrtime.bigint();
      await bodies[k]();
      const ns = Number(process.hrtime.bigint() - t0);
      rates.get(k)!.push(count / (ns / 1e9));
    }
  }
  return Object.fromEntries(keys.map((k) => [k, median(rates.get(k)!)])) as Record<K, number>;
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

// --- (d) ten distinct callbacks plus a per-chain closure --------------------
// Real chains call different functions at each step (and often a closure made
// for that chain): the call sites see many targets, none can be inlined.

const DISTINCT: ((x: number) => number)[] = [
  (x) => x + 1,
  (x) => x + 2,
  (x) => x * 1,
  (x) => x + 3,
  (x) => x - 1,
  (x) => x + 4,
  (x) => x | 0,
  (x) => x + 5,
  (x) => x - 2,
  (x) => x + 6,
];

function wovenDistinct(k: number): Deferred<number> {
  const d = new Deferred<number>();
  for (const fn of DISTINCT) d.addCallback(fn);
  return d.addCallback((x) => x + k);
}

function nativeDistinct(p: Promise<number>, k: number): Promise<number> {
  for (const fn of DISTINCT) p = p.then(fn);
  return p.then((x) => x + k);
}

async function asyncDistinct(start: Promise<number>, k: number): Promise<number> {
  let x = await start;
  for (let i = 0; i < STEPS; i++) x = await DISTINCT[i]!(x);
  return x + k;
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

function wovenError(d: Deferred<number>, thrower = boom): Deferred<number> {
  d.addCallback(thrower);
  for (let i = 0; i < STEPS - 2; i++) d.addCallback(inc);
  return d.addErrback(trap);
}

function nativeError(p: Promise<number>, thrower = boom): Promise<number> {
  let q = p.then(thrower) as Promise<number>;
  for (let i = 0; i < STEPS - 2; i++) q = q.then(inc);
  return q.catch(trapNative);
}

async function asyncError(start: Promise<number>, thrower = boom): Promise<number> {
  try {
    let x = await start;
    thrower();
    for (let i = 0; i < STEPS - 2; i++) x = await inc(x);
    return x;
  } catch (e) {
    return trapNative(e);
  }
}

interface Scenario {
  name: string;
  target: number;
  /** Which of Twisted's measurements (fresh, fired, error) compares, if any. */
  twisted?: number;
  bodies: Record<'woven' | 'then' | 'async', Body>;
}

interface Row extends Record<'woven' | 'then' | 'async', number> {
  name: string;
  target: number;
  twisted?: number;
}

/**
 * One-at-a-time bodies: chain `i` built by `woven(i)` and fired, or built by
 * `native(p, i)` / `asyncFn(p, i)` on a pending Promise and awaited.
 */
function firedBodies(
  n: number,
  woven: (i: number) => Deferred<number>,
  native: (p: Promise<number>, i: number) => Promise<number>,
  asyncFn: (p: Promise<number>, i: number) => Promise<number>,
): Scenario['bodies'] {
  return {
    woven: () => {
      for (let i = 0; i < n; i++) {
        const d = woven(i);
        d.callback(0);
        sink += d.result as number;
      }
    },
    then: async () => {
      for (let i = 0; i < n; i++) sink += await pending((p) => native(p, i));
    },
    async: async () => {
      for (let i = 0; i < n; i++) sink += await pending((p) => asyncFn(p, i));
    },
  };
}

/** The one-at-a-time error path, each chain throwing with `thrower`. */
function errorBodies(n: number, thrower: () => never): Scenario['bodies'] {
  return firedBodies(
    n,
    () => wovenError(new Deferred<number>(), thrower),
    (p) => nativeError(p, thrower),
    (p) => asyncError(p, thrower),
  );
}

/** `bodies`, each run with V8's stack capture off: what the error path costs without it. */
function withoutStacks(bodies: Scenario['bodies']): Scenario['bodies'] {
  const off =
    (body: Body): Body =>
    async () => {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        await body();
      } finally {
        Error.stackTraceLimit = limit;
      }
    };
  return { woven: off(bodies.woven), then: off(bodies.then), async: off(bodies.async) };
}

/** A Promise chain built by `chain` on a pending Promise, which is then resolved with 0. */
function pending<T>(chain: (p: Promise<number>) => Promise<T>): Promise<T> {
  let fire!: (v: number) => void;
  const p = chain(
    new Promise<number>((r) => {
      fire = r;
    }),
  );
  fire(0);
  return p;
}

/** One chain at a time: woven fired synchronously, native awaited. */
function sequentialScenarios(n: number): Scenario[] {
  return [
    {
      name: '(a) fresh + 10 callbacks, fired',
      twisted: 0,
      target: 1.5,
      bodies: {
        woven: () => {
          for (let i = 0; i < n; i++) {
            const d = wovenFresh();
            d.callback(0);
            sink += d.result as number;
          }
        },
        then: async () => {
          for (let i = 0; i < n; i++) {
            const c = nativeFresh();
            c.fire(0);
            sink += await c.p;
          }
        },
        async: async () => {
          for (let i = 0; i < n; i++) sink += await pending(asyncFresh);
        },
      },
    },
    {
      name: '(d) 10 distinct + closure, fired',
      target: 1.5,
      bodies: firedBodies(n, wovenDistinct, nativeDistinct, asyncDistinct),
    },
    {
      name: '(b) fired + 10 callbacks added',
      twisted: 1,
      target: 3,
      bodies: {
        woven: () => {
          for (let i = 0; i < n; i++) sink += wovenFired().result as number;
        },
        then: async () => {
          for (let i = 0; i < n; i++) sink += await nativeFired();
        },
        async: async () => {
          for (let i = 0; i < n; i++) sink += await asyncFired();
        },
      },
    },
    { name: '(c) error path, trapped', twisted: 2, target: 1.3, bodies: errorBodies(n, boom) },
    {
      name: '(c0) error path, no stack captured (`Error.stackTraceLimit = 0`)',
      target: 1.3,
      bodies: withoutStacks(errorBodies(n, boom)),
    },
    {
      name: '(c*) error path, shared error',
      twisted: 2,
      target: 1.3,
      bodies: errorBodies(n, boomShared),
    },
  ];
}

/** n chains outstanding at once: all built, then all fired (native: then awaited). */
function outstandingScenarios(n: number): Scenario[] {
  const fires: ((v: number) => void)[] = new Array(n);
  const ps: Promise<number>[] = new Array(n);
  const ds: Deferred<number>[] = new Array(n);
  const native = async (chain: (p: Promise<number>) => Promise<number>) => {
    for (let i = 0; i < n; i++) {
      ps[i] = chain(
        new Promise<number>((r) => {
          fires[i] = r;
        }),
      );
    }
    for (let i = 0; i < n; i++) fires[i]!(0);
    for (let i = 0; i < n; i++) sink += await ps[i]!;
  };
  const collect = () => {
    for (let i = 0; i < n; i++) sink += ds[i]!.result as number;
  };
  return [
    {
      name: '(a) fresh + 10 callbacks, fired',
      twisted: 0,
      target: 1.5,
      bodies: {
        woven: () => {
          for (let i = 0; i < n; i++) ds[i] = wovenFresh();
          for (let i = 0; i < n; i++) ds[i]!.callback(0);
          collect();
        },
        then: () =>
          native((p) => {
            for (let i = 0; i < STEPS; i++) p = p.then(inc);
            return p;
          }),
        async: () => native(asyncFresh),
      },
    },
    {
      name: '(d) 10 distinct + closure, fired',
      target: 1.5,
      bodies: {
        woven: () => {
          for (let i = 0; i < n; i++) ds[i] = wovenDistinct(i);
          for (let i = 0; i < n; i++) ds[i]!.callback(0);
          collect();
        },
        then: () => native((p) => nativeDistinct(p, 0)),
        async: () => native((p) => asyncDistinct(p, 0)),
      },
    },
    {
      name: '(b) fired + 10 callbacks added',
      twisted: 1,
      target: 3,
      bodies: {
        woven: () => {
          for (let i = 0; i < n; i++) ds[i] = succeed(0);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < STEPS; j++) ds[i]!.addCallback(inc);
          }
          collect();
        },
        then: async () => {
          for (let i = 0; i < n; i++) ps[i] = Promise.resolve(0);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < STEPS; j++) ps[i] = ps[i]!.then(inc);
          }
          for (let i = 0; i < n; i++) sink += await ps[i]!;
        },
        async: async () => {
          for (let i = 0; i < n; i++) ps[i] = asyncFired();
          for (let i = 0; i < n; i++) sink += await ps[i]!;
        },
      },
    },
    {
      name: '(c) error path, trapped',
      twisted: 2,
      target: 1.3,
      bodies: {
        woven: () => {
          for (let i = 0; i < n; i++) ds[i] = wovenError(new Deferred<number>());
          for (let i = 0; i < n; i++) ds[i]!.callback(0);
          collect();
        },
        then: () => native(nativeError),
        async: () => native(asyncError),
      },
    },
    {
      name: '(c*) error path, shared error',
      twisted: 2,
      target: 1.3,
      bodies: {
        woven: () => {
          for (let i = 0; i < n; i++) ds[i] = wovenError(new Deferred<number>(), boomShared);
          for (let i = 0; i < n; i++) ds[i]!.callback(0);
          collect();
        },
        then: () => native((p) => nativeError(p, boomShared)),
        async: () => native((p) => asyncError(p, boomShared)),
      },
    },
  ];
}

async function measure(n: number, scenarios: Scenario[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const sc of scenarios) {
    rows.push({
      name: sc.name,
      target: sc.target,
      twisted: sc.twisted,
      ...(await compare(n, sc.bodies)),
    });
  }
  return rows;
}

/** `await d` on a fired Deferred against awaiting native Promises. */
async function awaitCost(n: number) {
  const d = succeed(1);
  const p = Promise.resolve(1);
  return compare(n, {
    deferred: async () => {
      for (let i = 0; i < n; i++) sink += await d;
    },
    resolvedPromise: async () => {
      for (let i = 0; i < n; i++) sink += await p;
    },
    deferredAsPromise: async () => {
      for (let i = 0; i < n; i++) sink += await d.asPromise();
    },
    pendingAsPromise: async () => {
      for (let i = 0; i < n; i++) {
        const pd = new Deferred<number>();
        queueMicrotask(() => pd.callback(1));
        sink += await pd.asPromise();
      }
    },
    pendingDeferred: async () => {
      for (let i = 0; i < n; i++) {
        const pd = new Deferred<number>();
        queueMicrotask(() => pd.callback(1));
        sink += await pd;
      }
    },
    pendingPromise: async () => {
      for (let i = 0; i < n; i++) {
        sink += await new Promise<number>((resolve) => queueMicrotask(() => resolve(1)));
      }
    },
    minimalThenable: async () => {
      // The floor for any Promises/A+ thenable: settle in a microtask.
      const t = { then: (ok: (v: number) => void) => queueMicrotask(() => ok(1)) };
      for (let i = 0; i < n; i++) sink += await t;
    },
  });
}

const TWISTED = `
import time, statistics
from twisted.internet.defer import Deferred, succeed
N, STEPS, RUNS = 20000, 10, 5
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

function print(title: string, rows: Row[], tw: number[] | null): boolean {
  console.log(`\n${title}\n`);
  console.log(
    '| chain | woven | `.then` awaited | async fn | woven / `.then` | woven / best native | target | Twisted 22.4 |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  let ok = true;
  for (const row of rows) {
    const ratio = row.woven / Math.max(row.then, row.async);
    const met = ratio >= row.target;
    ok &&= met;
    const t = row.twisted === undefined ? undefined : tw?.[row.twisted];
    const twCol = t ? `${fmt(t)} (woven ${(row.woven / t).toFixed(1)}x)` : '';
    console.log(
      `| ${row.name} | ${fmt(row.woven)} | ${fmt(row.then)} | ${fmt(row.async)} | ` +
        `${(row.woven / row.then).toFixed(2)}x | ${ratio.toFixed(2)}x | ${row.target}x ${met ? 'met' : 'MISSED'} | ${twCol} |`,
    );
  }
  return ok;
}

/** The `await` costs as a table: each against the native await it replaces; true when the targets hold. */
function printAwait(aw: Awaited<ReturnType<typeof awaitCost>>): boolean {
  console.log(`\nawait costs (${SEQUENTIAL} awaits, one at a time)\n`);
  console.log('| await of | rate | costs vs | native | target |');
  console.log('| --- | --- | --- | --- | --- |');
  const rows: [string, number, string, number, number][] = [
    ['fired Deferred: `await d`', aw.deferred, 'resolved Promise', aw.resolvedPromise, 3],
    [
      'fired: `await d.asPromise()`',
      aw.deferredAsPromise,
      'resolved Promise',
      aw.resolvedPromise,
      1.5,
    ],
    ['pending Deferred: `await d`', aw.pendingDeferred, 'pending Promise', aw.pendingPromise, 2],
    [
      'pending: `await d.asPromise()`',
      aw.pendingAsPromise,
      'pending Promise',
      aw.pendingPromise,
      1.5,
    ],
    [
      'minimal A+ thenable (the floor of any thenable)',
      aw.minimalThenable,
      'resolved Promise',
      aw.resolvedPromise,
      Number.NaN,
    ],
  ];
  let ok = true;
  for (const [name, rate, versus, native, target] of rows) {
    const cost = native / rate;
    const met = Number.isNaN(target) || cost <= target;
    ok &&= met;
    const verdict = Number.isNaN(target) ? '' : `≤${target}x ${met ? 'met' : 'MISSED'}`;
    console.log(
      `| ${name} | ${fmt(rate)} | ${cost.toFixed(2)}x | ${versus} ${fmt(native)} | ${verdict} |`,
    );
  }
  return ok;
}

async function main(): Promise<void> {
  console.log(`median of ${RUNS} interleaved runs; chains of ${STEPS} steps`);
  const seq = await measure(SEQUENTIAL, sequentialScenarios(SEQUENTIAL));
  const out = await measure(OUTSTANDING, outstandingScenarios(OUTSTANDING));
  const aw = await awaitCost(SEQUENTIAL);
  const tw = twisted();
  let ok = print(`one chain at a time (${SEQUENTIAL} chains)`, seq, tw);
  ok = print(`${OUTSTANDING} chains outstanding at once`, out, tw) && ok;
  const awaitOk = printAwait(aw);
  if (!tw) console.log('twisted: not measured (/usr/bin/python3 cannot import twisted)');
  console.log(`\n${ok && awaitOk ? 'all targets met' : 'some targets missed'} (sink ${sink > 0})`);
}

await main();
