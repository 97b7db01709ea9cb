// Tests: tests/runner/run-file.test.ts
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../app/index.js';

const JAVASCRIPT = new Set(['.js', '.mjs', '.cjs']);
const TYPESCRIPT = new Set(['.ts', '.mts']);

/**
 * tsx's ESM hooks, registered from the copy installed where `from` (a
 * directory of the user's project) resolves it; `false` when there is none.
 * Registered globally, so that `import 'woven'` in the file is this woven.
 */
async function registerTsx(from: string): Promise<boolean> {
  let manifest: string;
  try {
    manifest = createRequire(join(from, 'noop.js')).resolve('tsx/package.json');
  } catch {
    return false;
  }
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports?: Record<string, { import?: string | { default?: string } }>;
  };
  const entry = pkg.exports?.['./esm/api']?.import;
  const path = typeof entry === 'string' ? entry : entry?.default;
  if (path === undefined) return false;
  const api = (await import(pathToFileURL(join(dirname(manifest), path)).href)) as {
    register?: () => unknown;
  };
  api.register?.();
  return api.register !== undefined;
}

/** Whether the nearest package.json above `dir` says `"type": "module"`. */
function inModulePackage(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    const manifest = join(d, 'package.json');
    if (existsSync(manifest)) {
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module';
    }
    if (dirname(d) === d) return false;
  }
}

/** Import the module at `path`: JavaScript directly, TypeScript through the project's tsx. */
async function importFile(path: string, cwd: string): Promise<Record<string, unknown>> {
  const absolute = resolve(cwd, path);
  const ext = extname(path);
  if (TYPESCRIPT.has(ext)) {
    if (!(await registerTsx(dirname(absolute))) && !(await registerTsx(cwd))) {
      throw new UsageError(
        `${path}: running TypeScript needs tsx in the project (npm install --save-dev tsx), or compile it to .js`,
      );
    }
    if (ext !== '.mts' && !inModulePackage(dirname(absolute))) {
      throw new UsageError(
        `${path}: a TypeScript run file must be an ES module: name it .mts, or set "type": "module" in package.json`,
      );
    }
  } else if (!JAVASCRIPT.has(ext)) {
    throw new UsageError(`${path}: expected a .js, .mjs, .cjs, .ts or .mts file`);
  }
  return (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
}

/** The default export, through the interop wrapper of a `.cjs` module compiled from ES module syntax. */
function defaultExport(ns: Record<string, unknown>, path: string): unknown {
  if (!('default' in ns)) throw new UsageError(`${path} has no default export`);
  const value = ns.default as { __esModule?: boolean; default?: unknown } | undefined;
  return value?.__esModule === true && 'default' in value ? value.default : value;
}

/**
 * Load an application file for `woven run`, as twistd loads a `.tac` file:
 * import the module at `path` (relative to `cwd`; `.js`/`.mjs`/`.cjs`
 * always, `.mts`, or `.ts` in a `"type": "module"` package, when tsx is
 * installed in the project) and return its
 * default export — a service, or what a function exported by default
 * returns (awaited), called with `args` (the command-line arguments after
 * the file). A missing file, an unsupported extension or a missing tsx is a
 * {@link UsageError}; an error thrown by the module itself propagates.
 *
 * @example
 * ```ts
 * // app.mjs
 * import { MultiService, StreamServerEndpointService, serverFromString, reactor } from 'woven';
 * export default () => new StreamServerEndpointService(serverFromString(reactor, 'tcp:8000'), echo);
 * ```
 */
export async function loadServiceFile(
  path: string,
  args: readonly string[] = [],
  cwd = process.cwd(),
): Promise<unknown> {
  if (!existsSync(resolve(cwd, path))) throw new UsageError(`no such file: ${path}`);
  const exported = defaultExport(await importFile(path, cwd), path);
  return typeof exported === 'function' ? await exported([...args]) : exported;
}
