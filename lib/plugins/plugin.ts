import type { IService, OptionSpec, OptionsSpec, ParsedOptions } from '../app/index.js';
import type { IStreamClientEndpoint, IStreamServerEndpoint } from '../endpoints/index.js';
import type { IReactorNetwork } from '../transports/index.js';

/**
 * A plugin that makes a service the `woven` command can run, as Twisted's
 * `IServiceMaker`.
 */
export interface ServicePlugin<O extends OptionsSpec = OptionsSpec> {
  kind: 'service';
  /** The name given on the command line: `woven <name>`. */
  name: string;
  /** One line for `woven --help`. */
  description: string;
  /** The service's command-line options. */
  options?: O;
  /** Build the service from parsed options. */
  makeService(options: ParsedOptions<O>): IService | PromiseLike<IService>;
}

/**
 * A plugin that adds an endpoint description prefix to `serverFromString` /
 * `clientFromString`, as Twisted's `IStreamServerEndpointStringParser`.
 * `args` are the positional parts after the prefix, `kwargs` the `key=value` ones.
 */
export interface EndpointPlugin {
  kind: 'endpoint';
  /** The prefix before the first colon, e.g. `'onion'` for `onion:...`. */
  prefix: string;
  /** One line for help listings. */
  description?: string;
  /** Build a server endpoint. */
  server?(
    reactor: IReactorNetwork,
    args: string[],
    kwargs: Record<string, string>,
  ): IStreamServerEndpoint;
  /** Build a client endpoint. */
  client?(
    reactor: IReactorNetwork,
    args: string[],
    kwargs: Record<string, string>,
  ): IStreamClientEndpoint;
}

/** Any plugin woven knows. */
export type Plugin = ServicePlugin | EndpointPlugin;

/** The kinds of plugin. */
export type PluginKind = Plugin['kind'];

/** The plugin type of a kind. */
export type PluginOfKind<K extends PluginKind> = Extract<Plugin, { kind: K }>;

/**
 * Define a service plugin with its options' types inferred, so `makeService`
 * gets typed values.
 *
 * @example
 * ```ts
 * export const hello = defineServicePlugin({
 *   name: 'hello',
 *   description: 'Say hello on every connection.',
 *   options: { port: { type: 'string', default: 'tcp:8000' } },
 *   makeService: ({ port }) => new StreamServerEndpointService(serverFromString(reactor, port), greet),
 * });
 * ```
 */
export function defineServicePlugin<const O extends OptionsSpec = Record<never, OptionSpec>>(
  plugin: Omit<ServicePlugin<O>, 'kind'> & { kind?: 'service' },
): ServicePlugin<O> {
  return { ...plugin, kind: 'service' };
}

/**
 * Define an endpoint plugin.
 *
 * @example
 * ```ts
 * export const loop = defineEndpointPlugin({
 *   prefix: 'loop',
 *   server: (reactor, [port]) => new TCP4ServerEndpoint(reactor, Number(port), 50, '127.0.0.1'),
 * });
 * ```
 */
export function defineEndpointPlugin(
  plugin: Omit<EndpointPlugin, 'kind'> & { kind?: 'endpoint' },
): EndpointPlugin {
  return { ...plugin, kind: 'endpoint' };
}

const OPTION_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'boolean', 'string[]']);
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Why `value` is not a valid plugin, or `null` when it is one. Used by
 * discovery to report malformed plugins instead of failing later.
 */
export function pluginProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const p = value as Record<string, unknown>;
  if (p.kind === 'service') return serviceProblem(p);
  if (p.kind === 'endpoint') return endpointProblem(p);
  return `unknown kind ${JSON.stringify(p.kind)} (expected 'service' or 'endpoint')`;
}

function serviceProblem(p: Record<string, unknown>): string | null {
  if (typeof p.name !== 'string' || !NAME.test(p.name))
    return 'service plugin without a valid name';
  if (typeof p.description !== 'string') return `service plugin ${p.name} has no description`;
  if (typeof p.makeService !== 'function') return `service plugin ${p.name} has no makeService()`;
  if (p.options === undefined) return null;
  if (typeof p.options !== 'object' || p.options === null) {
    return `service plugin ${p.name}: options must be an object`;
  }
  for (const [key, spec] of Object.entries(p.options)) {
    const problem = optionProblem(key, spec);
    if (problem) return `service plugin ${p.name}: ${problem}`;
  }
  return null;
}

function optionProblem(key: string, spec: unknown): string | null {
  if (!NAME.test(key)) return `bad option name ${JSON.stringify(key)}`;
  const s = spec as Partial<OptionSpec> | null;
  if (typeof s !== 'object' || s === null || !OPTION_TYPES.has(s.type as string)) {
    return `option ${key} needs a type of string, number, boolean or string[]`;
  }
  if (s.short !== undefined && (typeof s.short !== 'string' || s.short.length !== 1)) {
    return `option ${key}: short must be one character`;
  }
  return null;
}

function endpointProblem(p: Record<string, unknown>): string | null {
  if (typeof p.prefix !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(p.prefix)) {
    return 'endpoint plugin without a valid prefix';
  }
  if (typeof p.server !== 'function' && typeof p.client !== 'function') {
    return `endpoint plugin ${p.prefix} has neither server() nor client()`;
  }
  return null;
}

/** The name a plugin is known by: a service's `name`, an endpoint's `prefix`. */
export function pluginName(plugin: Plugin): string {
  return plugin.kind === 'service' ? plugin.name : plugin.prefix;
}
