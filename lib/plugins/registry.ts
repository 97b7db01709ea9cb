import { registerEndpointPrefix } from '../endpoints/index.js';
import { Logger } from '../log/index.js';
import { builtinPlugins } from './builtins/index.js';
import {
  findPluginModules,
  type LoadedPlugin,
  loadPluginModule,
  type PluginProblem,
} from './discovery.js';
import { InvalidPluginError, PluginConflictError, UnknownPluginError } from './errors.js';
import {
  type Plugin,
  type PluginKind,
  type PluginOfKind,
  pluginName,
  pluginProblem,
} from './plugin.js';

const log = new Logger('woven.plugins');

/** Where to look for plugins. */
export interface DiscoveryOptions {
  /** The directory discovery starts from (default `process.cwd()`). */
  cwd?: string;
  /** Extra plugin module files (as `--plugin`), relative to `cwd`. */
  paths?: readonly string[];
}

const registered: LoadedPlugin[] = builtinPlugins.map((plugin) => ({
  plugin,
  source: 'woven (built-in)',
}));
const endpointPluginsInstalled = new WeakSet<Plugin>();

function key(plugin: Plugin): string {
  return `${plugin.kind}:${pluginName(plugin)}`;
}

function installEndpoint(plugin: Plugin): void {
  if (plugin.kind !== 'endpoint' || endpointPluginsInstalled.has(plugin)) return;
  endpointPluginsInstalled.add(plugin);
  registerEndpointPrefix({ prefix: plugin.prefix, server: plugin.server, client: plugin.client });
}

/**
 * Add a plugin in code, as if it had been discovered. An endpoint plugin's
 * prefix is added to `serverFromString`/`clientFromString` at once.
 * Throws `InvalidPluginError` for a malformed plugin and
 * `PluginConflictError` when its name is taken.
 *
 * @example
 * ```ts
 * registerPlugin(defineServicePlugin({ name: 'hello', description: 'Greets.', makeService: () => new Service() }));
 * ```
 */
export function registerPlugin(plugin: Plugin): void {
  const problem = pluginProblem(plugin);
  if (problem) throw new InvalidPluginError(problem);
  const taken = registered.find((p) => key(p.plugin) === key(plugin));
  if (taken) {
    throw new PluginConflictError(
      `${plugin.kind} plugin ${pluginName(plugin)} is already provided by ${taken.source}`,
    );
  }
  registered.push({ plugin, source: 'registerPlugin()' });
  installEndpoint(plugin);
}

/**
 * The plugins found by one discovery: built-ins, those registered in code,
 * and those discovered, with the problems met on the way.
 *
 * @example
 * ```ts
 * const catalog = await discoverPlugins({ paths: ['./my-plugin.js'] });
 * const plugin = catalog.get('service', 'echo'); // throws on a conflict or an unknown name
 * const service = await plugin.makeService({ port: 'tcp:8000' });
 * ```
 */
export class PluginCatalog {
  /** Every usable plugin, first of each name only. */
  readonly plugins: readonly LoadedPlugin[];
  /** Modules or plugins that were skipped, and why. */
  readonly problems: readonly PluginProblem[];
  readonly #conflicts: Map<string, string>;

  constructor(plugins: LoadedPlugin[], problems: PluginProblem[], conflicts: Map<string, string>) {
    this.plugins = plugins;
    this.problems = problems;
    this.#conflicts = conflicts;
  }

  /** The plugins of one kind, in discovery order. */
  list<K extends PluginKind>(kind: K): PluginOfKind<K>[] {
    return this.plugins
      .filter((p) => p.plugin.kind === kind)
      .map((p) => p.plugin as PluginOfKind<K>);
  }

  /**
   * The plugin of `kind` called `name`. Throws `UnknownPluginError`, or
   * `PluginConflictError` (naming both origins) when two plugins claim it.
   */
  get<K extends PluginKind>(kind: K, name: string): PluginOfKind<K> {
    const conflict = this.#conflicts.get(`${kind}:${name}`);
    if (conflict) throw new PluginConflictError(conflict);
    const found = this.plugins.find((p) => p.plugin.kind === kind && pluginName(p.plugin) === name);
    if (!found) throw new UnknownPluginError(`unknown ${kind} plugin: ${name}`);
    return found.plugin as PluginOfKind<K>;
  }
}

/**
 * Discover plugins (see {@link getPlugins}), report problems through the
 * `woven.plugins` logger and install discovered endpoint prefixes.
 */
export async function discoverPlugins(options: DiscoveryOptions = {}): Promise<PluginCatalog> {
  const cwd = options.cwd ?? process.cwd();
  const problems: PluginProblem[] = [];
  const refs = await findPluginModules(cwd, options.paths, problems);
  const loaded = await Promise.all(refs.map((ref) => loadPluginModule(ref, problems)));
  const kept: LoadedPlugin[] = [];
  const conflicts = new Map<string, string>();
  for (const candidate of [...registered, ...loaded.flat()]) {
    const first = kept.find((p) => key(p.plugin) === key(candidate.plugin));
    if (!first) {
      kept.push(candidate);
      continue;
    }
    if (first.plugin === candidate.plugin) continue;
    const message = `two ${candidate.plugin.kind} plugins named ${pluginName(candidate.plugin)}: ${first.source} and ${candidate.source}`;
    conflicts.set(key(candidate.plugin), message);
    log.warn('{message}; keeping the first', {
      message,
      name: pluginName(candidate.plugin),
      first: first.source,
      second: candidate.source,
    });
  }
  for (const p of problems) {
    log.warn('plugin skipped: {source}: {reason}', { ...p, package: p.packageName });
  }
  for (const p of kept) {
    try {
      installEndpoint(p.plugin);
    } catch (error) {
      log.warn('endpoint plugin {prefix} from {source} not installed: {reason}', {
        prefix: pluginName(p.plugin),
        source: p.source,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return new PluginCatalog(kept, problems, conflicts);
}

/**
 * The built-in plugins and every discovered plugin of `kind`: from packages
 * in `node_modules` whose package.json has `"woven": {"plugins": [...]}`, from
 * the current project's package.json, and from `paths`. A module that fails
 * to import or is malformed is logged (with its package/path and the reason)
 * and skipped. Of two plugins with one name the first is kept.
 *
 * @example
 * ```ts
 * for (const p of await getPlugins('service')) console.log(p.name, p.description);
 * ```
 */
export async function getPlugins<K extends PluginKind>(
  kind: K,
  options: DiscoveryOptions = {},
): Promise<PluginOfKind<K>[]> {
  return (await discoverPlugins(options)).list(kind);
}
