// The package as a new user installs it: `npm pack`, install the tarball into
// a separate project with its own strict NodeNext tsconfig (no skipLibCheck),
// type-check and run a small app there (tests/package/consumer), and run the
// installed `woven` command the way the README tells process managers to.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const CONSUMER = join(import.meta.dirname, 'consumer');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The @types/node the repository builds with, so the consumer sees the same Node typings. */
function typesNodeVersion(): string {
  const pkg = join(ROOT, 'node_modules', '@types', 'node', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

let dir: string;
let app: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'woven-package-'));
  app = join(dir, 'app');
  // dist/ is built by the vitest globalSetup; packing must not rebuild it under running tests.
  await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {
    cwd: ROOT,
  });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no tarball');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'woven-consumer', private: true, type: 'module' }),
  );
  for (const f of ['main.ts', 'tsconfig.json']) copyFileSync(join(CONSUMER, f), join(app, f));
  await run(
    'npm',
    [
      'install',
      join(dir, tarball),
      `@types/node@${typesNodeVersion()}`,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
    ],
    { cwd: app },
  );
}, 120_000);

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('type-checks in a strict NodeNext project without skipLibCheck', async () => {
    const tsc = await run(process.execPath, [TSC, '-p', app], { cwd: app }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
    );
    expect(tsc.stdout).toBe('');
  }, 120_000);

  it('runs the compiled app: TCP, WebSocket and woven/testing', async () => {
    const { stdout } = await run(process.execPath, [join(app, 'out', 'main.js')], {
      cwd: app,
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      tcp: 'HELLO\r\n',
      websocket: 'hi',
      memory: 'MEMORY\r\n',
      clock: true,
    });
  }, 30_000);

  // The README's forms for containers and process managers: the shell
  // replaces itself with woven, so the signal sent to the pid reaches woven.
  it.each(['exec node_modules/.bin/woven', 'exec node node_modules/woven/bin/woven.js'])(
    '`%s …` under a shell stops on SIGTERM with exit 0',
    async (command) => {
      const child = spawn(
        'sh',
        ['-c', `${command} --log-format json echo --port tcp:0:interface=127.0.0.1`],
        { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`woven did not listen:\n${out}`)), 15_000);
        child.stdout.setEncoding('utf8').on('data', (text: string) => {
          out += text;
          if (out.includes('listening on')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('"log_text":"stopped"');
    },
  );
});
