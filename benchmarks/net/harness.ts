// Shared plumbing of the network benchmarks: start a server process, run the
// load client against it, take medians, print ratios.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A running benchmark server (a child process) and its port. */
export interface ServerProcess {
  port: number;
  child: ChildProcess;
  lines: Interface;
  /** The next line the server prints. */
  nextLine(): Promise<string>;
  stop(): Promise<void>;
  /** The CPU seconds the server has used so far. */
  cpu(): Promise<number>;
  /** The major GCs the server has run so far (`NaN` for a Twisted server). */
  majorGCs(): Promise<number>;
}

function lineReader(child: ChildProcess): { lines: Interface; nextLine: () => Promise<string> } {
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else queue.push(line);
  });
  return {
    lines,
    nextLine: () => {
      const line = queue.shift();
      return line !== undefined
        ? Promise.resolve(line)
        : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin?.end();
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });
}

/** The environment of a child process: this one's, with `extra` on top. */
function envWith(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  return extra === undefined ? process.env : { ...process.env, ...extra };
}

/**
 * Start `benchmarks/net/servers.ts <kind>` (or a Twisted script with
 * `python`), with `env` added to its environment.
 */
export async function startServer(
  kind: string,
  python?: string,
  args: string[] = [],
  env?: Record<string, string>,
): Promise<ServerProcess> {
  const options: SpawnOptions = { stdio: ['pipe', 'pipe', 'inherit'], env: envWith(env) };
  const child = python
    ? spawn('/usr/bin/python3', ['-c', python], options)
    : spawn(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', join(here, 'servers.ts'), kind, ...args],
        options,
      );
  const { lines, nextLine } = lineReader(child);
  const port = Number(await nextLine());
  const ask = async (command: string) => {
    child.stdin!.write(`${command}\n`);
    return Number(await nextLine());
  };
  const cpu = () => ask('cpu');
  const majorGCs = async () => (python ? Number.NaN : ask('gc'));
  return { port, child, lines, nextLine, stop: stopper(child), cpu, majorGCs };
}

/** Run the load client with `args` (and `env` added to its environment); resolves with its JSON result. */
export function runClient(
  args: (string | number)[],
  env?: Record<string, string>,
): Promise<Record<string, number | boolean>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'load-client.ts'), ...args.map(String)],
      { stdio: ['ignore', 'pipe', 'inherit'], env: envWith(env) },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`load client failed (${code}): ${out}`));
      }
    });
  });
}

/** Start an idle-mode load client; resolves once its connections are open, with a function closing them. */
export async function holdIdle(port: number, connections: number): Promise<() => Promise<void>> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'load-client.ts'), 'idle', String(port), String(connections)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const { nextLine } = lineReader(child);
  const ready = await nextLine();
  if (ready !== 'ready') throw new Error(`idle client: ${ready}`);
  return stopper(child);
}

/** The median of `values`. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** True when Twisted is importable by /usr/bin/python3. */
export function twistedAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/python3', ['-c', 'import twisted'], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

/** A Twisted 22.4 server script: serves `protocolSource`'s `Server` on 127.0.0.1:0, prints the port, exits when stdin closes. */
export function twistedServer(protocolSource: string): string {
  return `
import sys
from twisted.internet import reactor, protocol, stdio
from twisted.protocols import basic
${protocolSource}
f = protocol.Factory.forProtocol(Server)
p = reactor.listenTCP(0, f, backlog=1024, interface='127.0.0.1')
print(p.getHost().port, flush=True)
import os
class Quit(basic.LineReceiver):
    delimiter = b'\\n'
    def lineReceived(self, line):
        if line == b'cpu':
            t = os.times()
            self.transport.write(b'%f\\n' % (t.user + t.system))
    def connectionLost(self, reason):
        reactor.stop()
stdio.StandardIO(Quit())
reactor.run()
`;
}

/**
 * Run the load client against a fresh `kind` server, both with `env` added
 * to their environment; the result plus the server's CPU seconds used and
 * the major GCs it ran meanwhile (`NaN` for Twisted).
 */
export async function measureOnce(
  kind: string,
  args: (string | number)[],
  python?: string,
  serverArgs: string[] = [],
  env?: Record<string, string>,
): Promise<Record<string, number | boolean> & { cpu: number; majorGCs: number }> {
  const server = await startServer(kind, python, serverArgs, env);
  try {
    const cpu0 = await server.cpu();
    const gcs0 = await server.majorGCs();
    const result = await runClient([args[0]!, server.port, ...args.slice(1)], env);
    const cpu = (await server.cpu()) - cpu0;
    const majorGCs = (await server.majorGCs()) - gcs0;
    if (!result.ok) throw new Error(`${kind}: the replies did not match what was sent`);
    return { ...result, cpu, majorGCs };
  } finally {
    await server.stop();
  }
}

/** Print a table row. */
export function row(cells: (string | number)[]): void {
  console.log(`| ${cells.join(' | ')} |`);
}

/** A server to measure: its row name, its `servers.ts` kind (or a Twisted script). */
export interface BenchServer {
  name: string;
  kind: string;
  python?: string;
  args?: string[];
  /** Added to the environment of the server and of its load client. */
  env?: Record<string, string>;
}

/**
 * Measure every server once per round, `rounds` times, in turn (so load
 * drifting on a shared machine hits them alike). Returns, per server, the
 * values `once` gave, one per round; a server that fails gives NaN.
 */
export async function interleaved<T extends Record<string, number>>(
  servers: BenchServer[],
  rounds: number,
  once: (server: BenchServer) => Promise<T>,
): Promise<T[][]> {
  const runs: T[][] = servers.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, server] of servers.entries()) {
      try {
        runs[i]!.push(await once(server));
      } catch (error) {
        console.error(`${server.name}: ${(error as Error).message}`);
        runs[i]!.push({} as T);
      }
    }
  }
  return runs;
}

/** The median over the rounds of `key`. */
export function medianOf<T extends Record<string, number>>(runs: T[], key: keyof T): number {
  const v = runs.map((r) => r[key] ?? Number.NaN);
  return v.some(Number.isNaN) ? Number.NaN : median(v);
}

/** The median over the rounds of `runs[round][key] / base[round][key]`, as `1.23x`. */
export function ratioOf<T extends Record<string, number>>(
  runs: T[],
  base: T[],
  key: keyof T,
): string {
  const v = runs.map((r, i) => (r[key] ?? Number.NaN) / (base[i]![key] ?? Number.NaN));
  return v.some(Number.isNaN) ? 'n/a' : `${median(v).toFixed(2)}x`;
}

/** `n` with `digits` decimals, or `n/a`. */
export function fixed(n: number, digits = 0): string {
  return Number.isNaN(n) ? 'n/a' : n.toFixed(digits);
}
