// Test helper: run the real `woven` command (bin/woven.js, the compiled
// package built by the vitest globalSetup) and watch its output.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';

export const WOVEN_BIN = join(import.meta.dirname, '..', '..', 'bin', 'woven.js');

const running = new Set<WovenProcess>();

/** One spawned `woven` process; its stdout and stderr are collected line by line. */
export class WovenProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #waiters: (() => void)[] = [];

  constructor(
    args: string[],
    options: {
      cwd?: string;
      bin?: string;
      env?: NodeJS.ProcessEnv;
      stdin?: 'pipe';
      /** A command that runs `node woven.js ...` for us (given as its last arguments). */
      launcher?: string[];
    } = {},
  ) {
    const command = [...(options.launcher ?? []), process.execPath, options.bin ?? WOVEN_BIN];
    this.child = spawn(command[0] as string, [...command.slice(1), ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    });
    running.add(this);
    for (const [stream, key] of [
      [this.child.stdout, 'stdout'],
      [this.child.stderr, 'stderr'],
    ] as const) {
      let partial = '';
      stream?.setEncoding('utf8').on('data', (text: string) => {
        this[key] += text;
        const parts = (partial + text).split('\n');
        partial = parts.pop() ?? '';
        this.lines.push(...parts);
        for (const w of this.#waiters.splice(0)) w();
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        running.delete(this);
        resolve({ code, signal });
        for (const w of this.#waiters.splice(0)) w();
      });
    });
  }

  /** Wait (at most `timeout` ms) for an output line matching `pattern`; returns it. */
  async waitForLine(pattern: RegExp, timeout = 10_000, from = 0): Promise<string> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const line = this.lines.slice(from).find((l) => pattern.test(l));
      if (line !== undefined) return line;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`woven exited before printing ${pattern}:\n${this.lines.join('\n')}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${pattern}:\n${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Wait for the JSON `listening on` event (run with `--log-format json`) and return its port. */
  async listeningPort(timeout = 10_000, from = 0): Promise<number> {
    const line = await this.waitForLine(/"log_format":"listening on \{address\}"/, timeout, from);
    return (JSON.parse(line) as { port: number }).port;
  }

  /** The JSON log events printed so far. */
  events(): Record<string, unknown>[] {
    return this.lines
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** Wait for the exit status (at most `timeout` ms). */
  async exitCode(timeout = 10_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`woven did not exit:\n${this.lines.join('\n')}`)),
        timeout,
      );
    });
    try {
      return (await Promise.race([this.exited, limit])).code;
    } finally {
      clearTimeout(timer);
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** Run `woven` with `args` to completion; returns the exit code and output. */
export async function runWoven(
  args: string[],
  options: { cwd?: string; timeout?: number; env?: NodeJS.ProcessEnv } = {},
) {
  const p = new WovenProcess(args, options);
  const code = await p.exitCode(options.timeout);
  return { code, stdout: p.stdout, stderr: p.stderr };
}

/** Kill every woven process still running (call from afterEach). */
export async function killAll(): Promise<void> {
  const left = [...running];
  for (const p of left) p.child.kill('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
}

const clients = new Set<Socket>();

/** Open a TCP connection to 127.0.0.1:`port` ({@link destroyClients} closes it). */
export function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    clients.add(socket);
    socket.once('close', () => clients.delete(socket));
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Destroy every connection {@link connectTo} opened that is still open (call from afterEach). */
export function destroyClients(): void {
  for (const socket of clients) socket.destroy();
  clients.clear();
}

/** Read from `socket` until `predicate(received)` holds or it ends; at most `timeout` ms. */
export function readUntil(
  socket: Socket,
  predicate: (received: Buffer) => boolean,
  timeout = 5_000,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      if (error) reject(error);
      else resolve(received);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (predicate(received)) done();
    };
    const onEnd = () => done();
    const timer = setTimeout(
      () => done(new Error(`read timed out with ${received.length} bytes`)),
      timeout,
    );
    socket.on('data', onData);
    socket.on('end', onEnd);
  });
}

/** The service plugins that make a stop hard (`hang`, `stubborn`, `failstop`). */
export const STOP_PLUGINS = join(import.meta.dirname, '..', 'fixtures', 'stop-plugins.mjs');

/**
 * Run `woven --log-format json <args> <service>` (a service of
 * {@link STOP_PLUGINS} whose connections ignore the stop) and open one
 * connection the server has accepted (it greeted): a stop must wait for it,
 * or abort it at --shutdown-timeout.
 */
export async function heldConnection(
  args: string[],
  service: 'stubborn' | 'failstop' = 'stubborn',
): Promise<{ woven: WovenProcess; port: number; held: Socket }> {
  const woven = new WovenProcess([
    '--plugin',
    STOP_PLUGINS,
    '--log-format',
    'json',
    ...args,
    service,
  ]);
  const port = await woven.listeningPort();
  const held = await connectTo(port);
  await readUntil(held, (b) => b.toString() === 'held\n');
  return { woven, port, held };
}

/**
 * Check every 50 ms, at most 200 times (10 s), until `ready()` holds, else
 * fail naming `what`: for what a child process writes to the file system,
 * which sends this process no event.
 */
export async function waitUntil(ready: () => boolean, what: () => string): Promise<void> {
  for (let i = 0; i < 200 && !ready(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!ready()) throw new Error(`timed out waiting for ${what()}`);
}

/** The text of `path` once `predicate` accepts it (waiting as {@link waitUntil}). */
export async function waitForFile(
  path: string,
  predicate: (text: string) => boolean,
): Promise<string> {
  const text = (): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  await waitUntil(
    () => predicate(text()),
    () => `${path} to match; it holds:\n${existsSync(path) ? text() : '(nothing)'}`,
  );
  return text();
}
