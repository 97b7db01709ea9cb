import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  discoverPlugins,
  getPlugins,
  PluginConflictError,
  UnknownPluginError,
} from '../../lib/index.js';
import { logEventsOfEachTest } from '../helpers.js';

let root: string;
const events = logEventsOfEachTest();

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'woven-plugins-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function servicePluginSource(name: string): string {
  return `export const ${name.replace(/\W/g, '_')} = { kind: 'service', name: '${name}', description: 'the ${name} service', options: {}, makeService() { return {}; } };\n`;
}

/** A service plugin that records, when imported, that it was (see {@link imported}). */
function trackedPluginSource(name: string): string {
  return `(globalThis.wovenImported ??= []).push('${name}');\n${servicePluginSource(name)}`;
}

/** The tracked plugins imported so far in this test file. */
function imported(): string[] {
  return (globalThis as { wovenImported?: string[] }).wovenImported ?? [];
}

function installPackage(
  name: string,
  files: Record<string, string>,
  plugins = Object.keys(files),
  project = '.',
): void {
  const dir = `${project}/node_modules/${name}`;
  write(`${dir}/package.json`, JSON.stringify({ name, version: '1.0.0', woven: { plugins } }));
  for (const [file, text] of Object.entries(files)) write(`${dir}/${file}`, text);
}

/** Every file under `dir` with its size and mtime. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => {
      const st = statSync(join(dir, f));
      return `${f} ${st.size} ${st.mtimeMs}`;
    })
    .sort();
}

function pluginWarnings(): string[] {
  return events
    .filter((e) => e.log_namespace === 'woven.plugins')
    .map((e) => `${e.log_format} ${JSON.stringify({ ...e, log_time: 0 })}`);
}

describe('plugin discovery', () => {
  it('finds built-ins, installed packages (scoped too), the project itself and --plugin files', async () => {
    write('package.json', JSON.stringify({ name: 'app', woven: { plugins: ['./own.mjs'] } }));
    write('own.mjs', servicePluginSource('own'));
    installPackage('woven-alpha', { 'plugin.mjs': servicePluginSource('alpha') });
    installPackage('@acme/beta', { 'lib/beta.mjs': servicePluginSource('beta') });
    write('node_modules/unrelated/package.json', JSON.stringify({ name: 'unrelated' }));
    write('extra.mjs', servicePluginSource('extra'));
    const names = (await getPlugins('service', { cwd: root, paths: ['extra.mjs'] })).map(
      (p) => p.name,
    );
    expect(names).toEqual(expect.arrayContaining(['echo', 'web', 'own', 'alpha', 'beta', 'extra']));
    expect(names.indexOf('own')).toBeLessThan(names.indexOf('alpha'));
    expect(pluginWarnings()).toEqual([]);
  });

  it('reports a module that fails to import, with its package and reason, and loads the others', async () => {
    installPackage('woven-broken', { 'plugin.mjs': 'throw new Error("kaboom");\n' });
    installPackage('woven-good', { 'plugin.mjs': servicePluginSource('good') });
    const names = (await getPlugins('service', { cwd: root })).map((p) => p.name);
    expect(names).toContain('good');
    const warnings = pluginWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('woven-broken');
    expect(warnings[0]).toContain('kaboom');
  });

  it('reports a missing module and a malformed plugin', async () => {
    installPackage('woven-missing', {}, ['./nope.mjs']);
    installPackage('woven-bad', {
      'plugin.mjs': `export const bad = { kind: 'service', name: 'bad' };\n${servicePluginSource('fine')}`,
    });
    const names = (await getPlugins('service', { cwd: root })).map((p) => p.name);
    expect(names).toContain('fine');
    expect(names).not.toContain('bad');
    const warnings = pluginWarnings().join('\n');
    expect(warnings).toContain('woven-missing');
    expect(warnings).toContain('failed to import');
    expect(warnings).toMatch(/woven-bad.*export bad: service plugin bad has no description/);
  });

  it('reports a package whose woven field is malformed', async () => {
    write(
      'node_modules/woven-weird/package.json',
      JSON.stringify({ name: 'woven-weird', woven: { plugins: 'plugin.mjs' } }),
    );
    await getPlugins('service', { cwd: root });
    expect(pluginWarnings().join('\n')).toMatch(/woven-weird.*array of relative paths/);
  });

  it('keeps the first of two plugins with one name, reports both, and refuses to run that name', async () => {
    installPackage('woven-one', { 'p.mjs': servicePluginSource('twin') });
    installPackage('woven-two', { 'p.mjs': servicePluginSource('twin') });
    const catalog = await discoverPlugins({ cwd: root });
    expect(catalog.list('service').filter((p) => p.name === 'twin')).toHaveLength(1);
    const warnings = pluginWarnings().join('\n');
    expect(warnings).toContain('woven-one');
    expect(warnings).toContain('woven-two');
    expect(() => catalog.get('service', 'twin')).toThrow(PluginConflictError);
    expect(() => catalog.get('service', 'twin')).toThrow(/woven-one.*woven-two/);
  });

  it('does not let a package shadow a built-in', async () => {
    installPackage('woven-echo', { 'p.mjs': servicePluginSource('echo') });
    const catalog = await discoverPlugins({ cwd: root });
    expect(() => catalog.get('service', 'echo')).toThrow(/built-in.*woven-echo/);
  });

  it('throws UnknownPluginError for a name nobody provides', async () => {
    const catalog = await discoverPlugins({ cwd: root });
    expect(() => catalog.get('service', 'nobody')).toThrow(UnknownPluginError);
  });

  it('writes nothing anywhere in the project or its packages', async () => {
    installPackage('woven-alpha', { 'plugin.mjs': servicePluginSource('alpha') });
    installPackage('woven-broken', { 'plugin.mjs': 'throw new Error("x");\n' });
    const before = listing(root);
    await getPlugins('service', { cwd: root });
    expect(listing(root)).toEqual(before);
  });

  it("discovers only the project's own node_modules (nearest package root), not an ancestor's", async () => {
    installPackage('woven-ancestor', { 'p.mjs': trackedPluginSource('ancestor') });
    write('app/package.json', JSON.stringify({ name: 'app' }));
    write('app/src/deep/.keep', '');
    installPackage('woven-own', { 'p.mjs': trackedPluginSource('own-dep') }, ['p.mjs'], 'app');
    const names = (await getPlugins('service', { cwd: join(root, 'app/src/deep') })).map(
      (p) => p.name,
    );
    expect(names).toContain('own-dep');
    expect(names).not.toContain('ancestor');
    expect(imported()).not.toContain('ancestor');
  });

  it('refuses a declared plugin path outside its package, with a reason, without importing it', async () => {
    write('evil.mjs', trackedPluginSource('escaped'));
    write('elsewhere/linked.mjs', trackedPluginSource('linked'));
    installPackage('woven-escape', { 'ok.mjs': trackedPluginSource('inside') }, [
      'ok.mjs',
      '../../evil.mjs',
      join(root, 'evil.mjs'),
      'link.mjs',
    ]);
    symlinkSync(
      join(root, 'elsewhere/linked.mjs'),
      join(root, 'node_modules/woven-escape/link.mjs'),
    );
    const names = (await getPlugins('service', { cwd: root })).map((p) => p.name);
    expect(names).toContain('inside');
    expect(names).not.toContain('escaped');
    expect(names).not.toContain('linked');
    expect(imported()).not.toContain('escaped');
    expect(imported()).not.toContain('linked');
    const warnings = pluginWarnings();
    expect(warnings.filter((w) => w.includes('outside its package'))).toHaveLength(3);
    expect(warnings.join('\n')).toContain('woven-escape');
    expect(warnings.join('\n')).toContain('../../evil.mjs');
  });

  it('still loads a --plugin path anywhere, as named', async () => {
    write('elsewhere/named.mjs', trackedPluginSource('named'));
    const names = (
      await getPlugins('service', { cwd: root, paths: [join(root, 'elsewhere/named.mjs')] })
    ).map((p) => p.name);
    expect(names).toContain('named');
  });

  it('scans 200 installed packages, finding the 150 with plugins', async () => {
    for (let i = 0; i < 200; i++) {
      const name = i % 2 ? `woven-pkg-${i}` : `@scope${i % 5}/pkg-${i}`;
      if (i % 4 === 0) write(`node_modules/${name}/package.json`, JSON.stringify({ name }));
      else installPackage(name, { 'p.mjs': servicePluginSource(`svc-${i}`) });
    }
    const plugins = await getPlugins('service', { cwd: root });
    const found = plugins.map((p) => p.name).filter((n) => n.startsWith('svc-'));
    expect(found).toHaveLength(150);
  });
});
