import { readdir, readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Plugin, pluginProblem } from './plugin.js';

/** A module that may hold plugins, and where it came from. */
export interface PluginModuleRef {
  /** Absolute path of the module file. */
  file: string;
  /** The package that declares it, or `undefined` for a `--plugin` path. */
  packageName?: string;
}

/** A plugin together with a human-readable description of its origin. */
export interface LoadedPlugin {
  plugin: Plugin;
  /** e.g. `package woven-hello (/p/node_modules/woven-hello/plugin.js)`. */
  source: string;
}

/** A module that could not be used, and why. */
export interface PluginProblem {
  source: string;
  packageName?: string;
  path: string;
  reason: string;
}

interface PackageJson {
  name?: unknown;
  woven?: { plugins?: unknown };
}

/** Describe a module's origin for reports. */
export function describeSource(ref: PluginModuleRef): string {
  return ref.packageName ? `package ${ref.packageName} (${ref.file})` : `plugin file ${ref.file}`;
}

async function readPackageJson(dir: string): Promise<PackageJson | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/** The nearest directory at or above `cwd` that holds a package.json. */
async function projectRoot(cwd: string): Promise<string | undefined> {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (await readPackageJson(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Package directories in one node_modules (scoped `@x/y` included). */
async function packageDirs(nodeModules: string): Promise<string[]> {
  const names = (await listDir(nodeModules)).filter((n) => !n.startsWith('.'));
  const nested = await Promise.all(
    names.map(async (name) => {
      if (!name.startsWith('@')) return [name];
      return (await listDir(join(nodeModules, name))).map((sub) => `${name}/${sub}`);
    }),
  );
  return nested.flat().map((name) => join(nodeModules, name));
}

/**
 * The plugin modules a package directory declares in its package.json
 * `"woven": {"plugins": [...]}` field. Malformed fields are reported.
 */
async function declaredModules(
  dir: string,
  problems: PluginProblem[],
): Promise<{ name: string; refs: PluginModuleRef[] } | undefined> {
  const pkg = await readPackageJson(dir);
  if (!pkg || pkg.woven === undefined) return undefined;
  const name = typeof pkg.name === 'string' ? pkg.name : dir;
  const list = pkg.woven?.plugins;
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) {
    const path = join(dir, 'package.json');
    problems.push({
      source: `package ${name} (${path})`,
      packageName: name,
      path,
      reason: '"woven.plugins" must be an array of relative paths',
    });
    return { name, refs: [] };
  }
  const refs: PluginModuleRef[] = [];
  for (const entry of list as string[]) {
    const file = resolve(dir, entry);
    const outside = await escapesPackage(dir, file);
    if (outside === undefined) refs.push({ file, packageName: name });
    else
      problems.push({
        source: `package ${name} (${file})`,
        packageName: name,
        path: file,
        reason: `plugin path ${JSON.stringify(entry)} ${outside}; not loaded`,
      });
  }
  return { name, refs };
}

/** Whether `child` (lexically or, if it exists, once symlinks are resolved) is `dir` or inside it. */
function inside(dir: string, child: string): boolean {
  const rel = relative(dir, child);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Why the declared plugin module `file` lies outside its package `dir`
 * (a `../` path, an absolute path elsewhere, a symlink pointing out), or
 * `undefined` when it is the package's own file.
 */
async function escapesPackage(dir: string, file: string): Promise<string | undefined> {
  if (!inside(dir, file)) return `points outside its package (${dir})`;
  const [realDir, realFile] = await Promise.all([realpath(dir), realpath(file).catch(() => file)]);
  if (realFile !== file && !inside(realDir, realFile)) {
    return `resolves, through a symlink, outside its package (${realFile})`;
  }
  return undefined;
}

/**
 * Find the plugin modules of the project at `cwd`: its own package.json
 * first (the nearest directory at or above `cwd` holding one; `cwd` itself
 * when there is none), then the packages installed in that project's own
 * `node_modules` — never an ancestor's — then the explicit `paths`. A
 * declared module outside its package is refused (reported in `problems`).
 * Nothing is imported and nothing is written.
 */
export async function findPluginModules(
  cwd: string,
  paths: readonly string[] = [],
  problems: PluginProblem[] = [],
): Promise<PluginModuleRef[]> {
  const refs: PluginModuleRef[] = [];
  const seenPackages = new Set<string>();
  const root = await projectRoot(cwd);
  if (root) {
    const own = await declaredModules(root, problems);
    if (own) {
      seenPackages.add(own.name);
      refs.push(...own.refs);
    }
  }
  const dirs = await packageDirs(join(root ?? resolve(cwd), 'node_modules'));
  const declared = await Promise.all(dirs.map((d) => declaredModules(d, problems)));
  for (const pkg of declared) {
    if (!pkg || seenPackages.has(pkg.name)) continue;
    seenPackages.add(pkg.name);
    refs.push(...pkg.refs);
  }
  for (const p of paths) refs.push({ file: isAbsolute(p) ? p : resolve(cwd, p) });
  return refs;
}

/**
 * Import one module and collect the plugin objects among its exports (the
 * values with a `kind`). A module that fails to import, exports no plugin,
 * or exports a malformed one is reported in `problems`; valid plugins of the
 * same module are still returned.
 */
export async function loadPluginModule(
  ref: PluginModuleRef,
  problems: PluginProblem[],
): Promise<LoadedPlugin[]> {
  const source = describeSource(ref);
  const report = (reason: string) =>
    problems.push({ source, packageName: ref.packageName, path: ref.file, reason });
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(ref.file).href)) as Record<string, unknown>;
  } catch (error) {
    report(`failed to import: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
  const loaded: LoadedPlugin[] = [];
  let candidates = 0;
  for (const [exportName, value] of Object.entries(mod)) {
    if (typeof value !== 'object' || value === null || !('kind' in value)) continue;
    candidates++;
    const problem = pluginProblem(value);
    if (problem) report(`export ${exportName}: ${problem}`);
    else loaded.push({ plugin: value as Plugin, source });
  }
  if (candidates === 0) report('exports no plugin (an object with a kind)');
  return loaded;
}
