// Spawning the Twisted peers of the interop tests (scripts in ./peers/).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The Python that has Twisted (CI installs python3-twisted). */
export const PYTHON = '/usr/bin/python3';

/** True when `PYTHON` can import Twisted; the interop tests are skipped otherwise. */
export const hasTwisted = spawnSync(PYTHON, ['-c', 'import twisted']).status === 0;
if (!hasTwisted) {
  console.warn(
    `SKIPPED tests/interop: ${PYTHON} cannot import twisted (install python3-twisted to run them)`,
  );
}

/** The test certificate (CN/SAN localhost and 127.0.0.1, self-signed) and its key. */
export const CERT = fileURLToPath(new URL('../fixtures/tls/localhost.crt', import.meta.url));
export const KEY = fileURLToPath(new URL('../fixtures/tls/localhost.key', import.meta.url));

/** A running peer script. */
export interface Peer {
  readonly child: ChildProcess;
  /** The first line it printed, as a number: the port it is bound to. */
  readonly port: Promise<number>;
  /** Everything it printed on stdout, once it exited. */
  readonly output: Promise<string>;
}

/** Starts peer scripts and kills whichever still run in {@link killAll} (call it in `afterEach`). */
export class Peers {
  readonly #children: ChildProcess[] = [];

  /** Run `peers/<script>` with `args`. */
  spawn(script: string, args: string[]): Peer {
    const path = fileURLToPath(new URL(`./peers/${script}`, import.meta.url));
    const child = spawn(PYTHON, [path, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.#children.push(child);
    let out = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const port = new Promise<number>((resolve, reject) => {
      const onData = (d: Buffer) => {
        out += d;
        const newline = out.indexOf('\n');
        if (newline >= 0) resolve(Number(out.slice(0, newline)));
      };
      child.stdout!.on('data', onData);
      void exited.then(() => reject(new Error(`${script} exited before printing its port`)));
    });
    port.catch(() => {}); // clients never print a port; only awaiting it may fail
    return { child, port, output: exited.then(() => out) };
  }

  /** Kill every peer still running and wait for them to exit. */
  async killAll(): Promise<void> {
    const children = this.#children.splice(0);
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return undefined;
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        return gone;
      }),
    );
  }
}
