import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  connectTo,
  killAll,
  readUntil,
  runWoven,
  WovenProcess,
  destroyClients,
} from '../runner/woven-process.js';

const REPO = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(REPO, 'examples', 'plugin-package');
let project: string;
let bin: string;

/** A temporary project with woven (linked to this repo) and the example plugin package installed. */
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'woven-project-'));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'my-app', private: true, type: 'module' }),
  );
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(REPO, join(project, 'node_modules', 'woven'), 'dir');
  cpSync(EXAMPLE, join(project, 'node_modules', 'woven-plugin-example'), { recursive: true });
  bin = join(project, 'node_modules', 'woven', 'bin', 'woven.js');
});
afterAll(() => rmSync(project, { recursive: true, force: true }));
afterEach(async () => {
  destroyClients();
  await killAll();
});

function woven(args: string[]): WovenProcess {
  return new WovenProcess(args, { cwd: project, bin });
}

describe('a third-party plugin package', () => {
  it('shows up in `woven --help`', async () => {
    const { code, stdout, stderr } = await runWoven(['--help'], { cwd: project });
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^ {2}shout\s+Greet each client, then send every line back in upper case\./m,
    );
    expect(stderr).toBe('');
  });

  it('runs its service through the real CLI with its options and its endpoint prefix', async () => {
    const p = woven([
      '--log-format',
      'json',
      'shout',
      '--port',
      'local:0',
      '--greeting',
      'hi',
      '--exclaim',
    ]);
    const port = await p.listeningPort();
    const s = await connectTo(port);
    expect((await readUntil(s, (b) => b.includes('\r\n'))).toString()).toBe('hi\r\n');
    s.write('plain JavaScript\r\n');
    expect((await readUntil(s, (b) => b.includes('\r\n'))).toString()).toBe(
      'PLAIN JAVASCRIPT!\r\n',
    );
    s.end();
    await readUntil(s, () => false);
    p.signal('SIGTERM');
    expect(await p.exitCode()).toBe(0);
  });

  it('lets built-in services listen on its endpoint prefix', async () => {
    const p = woven(['--log-format', 'json', 'echo', '--port', 'local:0']);
    const port = await p.listeningPort();
    const listening = p.events().find((e) => e.log_format === 'listening on {address}');
    expect(listening?.host).toBe('127.0.0.1');
    const s = await connectTo(port);
    s.write('ok');
    expect((await readUntil(s, (b) => b.length >= 2)).toString()).toBe('ok');
  });

  it('loads a plugin file named with --plugin', async () => {
    writeFileSync(
      join(project, 'extra.mjs'),
      `import { defineServicePlugin, Service } from 'woven';
export const idle = defineServicePlugin({ name: 'idle', description: 'Do nothing, patiently.', makeService: () => new Service() });
`,
    );
    const { code, stdout } = await runWoven(['--plugin', 'extra.mjs', '--help'], { cwd: project });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}idle\s+Do nothing, patiently\./m);
  });

  it('still runs when another package is broken, reporting it', async () => {
    const broken = join(project, 'node_modules', 'woven-broken');
    mkdirSync(broken);
    writeFileSync(
      join(broken, 'package.json'),
      JSON.stringify({ name: 'woven-broken', woven: { plugins: ['./index.js'] } }),
    );
    writeFileSync(join(broken, 'index.js'), 'this is not JavaScript\n');
    try {
      const { code, stdout, stderr } = await runWoven(['--help'], { cwd: project });
      expect(code).toBe(0);
      expect(stdout).toContain('shout');
      expect(stderr).toMatch(/woven-broken.*failed to import/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('refuses to run a name two packages claim, naming both', async () => {
    const twin = join(project, 'node_modules', 'woven-shout-twin');
    cpSync(EXAMPLE, twin, { recursive: true });
    writeFileSync(
      join(twin, 'package.json'),
      JSON.stringify({
        name: 'woven-shout-twin',
        type: 'module',
        woven: { plugins: ['./plugins.js'] },
      }),
    );
    try {
      const { code, stderr } = await runWoven(['shout', '--port', 'local:0'], { cwd: project });
      expect(code).toBe(1);
      expect(stderr).toMatch(/two service plugins named shout/);
      expect(stderr).toContain('woven-plugin-example');
      expect(stderr).toContain('woven-shout-twin');
    } finally {
      rmSync(twin, { recursive: true, force: true });
    }
  });
});
