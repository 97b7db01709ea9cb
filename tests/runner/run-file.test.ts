// `woven run <file>`: the real CLI runs the service a module exports by default.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectTo,
  killAll,
  readUntil,
  runWoven,
  WovenProcess,
  destroyClients,
} from './woven-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

/** A project directory whose node_modules holds this woven (and, with `tsx`, tsx). */
function project({ tsx = false, type = 'module' } = {}): string {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', type }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'woven'));
  if (tsx) symlinkSync(join(ROOT, 'node_modules', 'tsx'), join(dir, 'node_modules', 'tsx'));
  return dir;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'woven-run-'));
});
afterEach(async () => {
  destroyClients();
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

const ECHO_FACTORY = `
import { reactor, serverFromString, StreamServerEndpointService } from 'woven';
const echo = async function* (conn) { for await (const chunk of conn) yield chunk; };
export default async (argv) => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return new StreamServerEndpointService(serverFromString(reactor, argv[0]), echo);
};
`;

const TS_SERVICE = `
import { type Connection, reactor, serverFromString, StreamServerEndpointService } from 'woven';
async function* shout(conn: Connection): AsyncGenerator<string> {
  for await (const chunk of conn) yield new TextDecoder().decode(chunk).toUpperCase();
}
const service: StreamServerEndpointService = new StreamServerEndpointService(
  serverFromString(reactor, 'tcp:0:interface=127.0.0.1'),
  shout,
);
export default service;
`;

async function roundTrip(port: number, text: string): Promise<string> {
  const s = await connectTo(port);
  s.write(text);
  return (await readUntil(s, (b) => b.length >= text.length)).toString();
}

describe('woven run <file>', () => {
  it('runs the service an async default-exported function returns, given the arguments after the file', async () => {
    writeFileSync(join(project(), 'app.mjs'), ECHO_FACTORY);
    const pidfile = join(dir, 'app.pid');
    const woven = new WovenProcess(
      ['--log-format', 'json', '--pidfile', pidfile, 'run', 'app.mjs', 'tcp:0:interface=127.0.0.1'],
      { cwd: dir },
    );
    const port = await woven.listeningPort();
    expect(await roundTrip(port, 'hello')).toBe('hello');
    expect(readFileSync(pidfile, 'utf8').trim()).toBe(String(woven.child.pid));
    woven.signal('SIGTERM');
    expect(await woven.exitCode()).toBe(0);
    expect(existsSync(pidfile)).toBe(false);
  });

  it('runs a default-exported service under --workers', async () => {
    writeFileSync(join(project(), 'app.mjs'), ECHO_FACTORY);
    const woven = new WovenProcess(
      ['--log-format', 'json', '--workers', '2', 'run', 'app.mjs', 'tcp:0:interface=127.0.0.1'],
      { cwd: dir },
    );
    const port = await woven.listeningPort();
    expect(await roundTrip(port, 'from a worker')).toBe('from a worker');
    woven.signal('SIGTERM');
    expect(await woven.exitCode()).toBe(0);
  });

  it('runs a TypeScript file when tsx is installed in the project', async () => {
    writeFileSync(join(project({ tsx: true }), 'app.ts'), TS_SERVICE);
    const woven = new WovenProcess(['--log-format', 'json', 'run', 'app.ts'], { cwd: dir });
    const port = await woven.listeningPort(20_000);
    expect(await roundTrip(port, 'quiet')).toBe('QUIET');
    woven.signal('SIGINT');
    expect(await woven.exitCode()).toBe(0);
  });

  it('names what to install when a TypeScript file is run without tsx', async () => {
    writeFileSync(join(dir, 'app.ts'), TS_SERVICE);
    const { code, stderr } = await runWoven(['run', 'app.ts'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('npm install --save-dev tsx');
  });

  it('asks for an ES module when a .ts file would load as CommonJS', async () => {
    writeFileSync(join(project({ tsx: true, type: 'commonjs' }), 'app.ts'), TS_SERVICE);
    const { code, stderr } = await runWoven(['run', 'app.ts'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/must be an ES module: name it \.mts/);
  });

  it('is bad usage (exit 2, one line) for a missing file, no file, or no default export', async () => {
    writeFileSync(join(dir, 'none.mjs'), 'export const x = 1;\n');
    for (const [args, pattern] of [
      [['run', 'nosuch.mjs'], /no such file: nosuch\.mjs/],
      [['run'], /no file given/],
      [['run', 'none.mjs'], /none\.mjs has no default export/],
    ] as const) {
      const { code, stderr } = await runWoven([...args], { cwd: dir });
      expect(code).toBe(2);
      expect(stderr).toMatch(pattern);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('exits 1 naming the cause when the export is not a service or the module throws', async () => {
    writeFileSync(join(dir, 'number.mjs'), 'export default 42;\n');
    writeFileSync(join(dir, 'throws.mjs'), 'throw new Error("no database");\n');
    const notService = await runWoven(['run', 'number.mjs'], { cwd: dir });
    expect(notService.code).toBe(1);
    expect(notService.stderr).toMatch(/woven run: cannot start: .*not a service/);
    const throws = await runWoven(['run', 'throws.mjs'], { cwd: dir });
    expect(throws.code).toBe(1);
    expect(throws.stderr).toMatch(/woven run: cannot start: Error: no database/);
  });
});
