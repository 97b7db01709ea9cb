// Tests: tests/endpoints/registry.test.ts
import type { IReactorNetwork } from '../transports/index.js';
import { EndpointDescriptionError, EndpointPrefixError } from './errors.js';

/**
 * Builds an endpoint from a description's arguments (the prefix removed):
 * `args` are the positional ones, `kwargs` the `key=value` ones, all strings.
 * The reactor is whatever was passed to `serverFromString`/`clientFromString`.
 */
export type EndpointParser<E> = (
  reactor: IReactorNetwork,
  args: string[],
  kwargs: Record<string, string>,
) => E;

/**
 * What `registerEndpointPrefix` takes: a prefix and the parsers for server
 * and/or client descriptions starting with it. An endpoint plugin
 * (`{kind: 'endpoint', prefix, server, client}`) has exactly this shape.
 */
export interface EndpointPrefixDefinition {
  readonly prefix: string;
  readonly server?: EndpointParser<unknown>;
  readonly client?: EndpointParser<unknown>;
}

const registry = new Map<string, EndpointPrefixDefinition>();
const builtins = new Set<string>();

/**
 * Teach `serverFromString` and `clientFromString` a new prefix (matched
 * case-insensitively), as Twisted's endpoint-parser plugins do. Registering
 * the same definition again does nothing; a different definition for a prefix
 * already taken throws {@link EndpointPrefixError}. Returns a function that
 * unregisters it (built-in prefixes cannot be unregistered).
 *
 * @example
 * ```ts
 * registerEndpointPrefix({
 *   prefix: 'loopback',
 *   server: (reactor, [port]) => new TCP4ServerEndpoint(reactor, Number(port), 50, '127.0.0.1'),
 * });
 * serverFromString(reactor, 'loopback:8080');
 * ```
 */
export function registerEndpointPrefix(definition: EndpointPrefixDefinition): () => void {
  const key = prefixKey(definition.prefix);
  const existing = registry.get(key);
  if (existing === definition) return () => unregister(key, definition);
  if (existing !== undefined) {
    throw new EndpointPrefixError(
      `endpoint prefix ${JSON.stringify(definition.prefix)} is already registered${builtins.has(key) ? ' (built in)' : ''}`,
    );
  }
  registry.set(key, definition);
  return () => unregister(key, definition);
}

/** Register one of woven's own prefixes; these cannot be replaced or removed. */
export function registerBuiltinEndpointPrefix(definition: EndpointPrefixDefinition): void {
  registerEndpointPrefix(definition);
  builtins.add(prefixKey(definition.prefix));
}

function unregister(key: string, definition: EndpointPrefixDefinition): void {
  if (!builtins.has(key) && registry.get(key) === definition) registry.delete(key);
}

function prefixKey(prefix: unknown): string {
  if (typeof prefix !== 'string' || prefix === '' || /[:=\\]/.test(prefix)) {
    throw new EndpointPrefixError(
      `invalid endpoint prefix ${JSON.stringify(prefix)}: a non-empty string without ':', '=' or '\\'`,
    );
  }
  return prefix.toLowerCase();
}

/**
 * The parser of `side` for `prefix`, or an {@link EndpointDescriptionError}
 * naming the prefix ("Unknown endpoint type: 'ftl'", as Twisted).
 */
export function lookupEndpointParser(
  prefix: string,
  side: 'server' | 'client',
): EndpointParser<unknown> {
  const definition = registry.get(prefix.toLowerCase());
  if (definition === undefined) {
    throw new EndpointDescriptionError(`Unknown endpoint type: '${prefix}'`, prefix);
  }
  const parser = definition[side];
  if (parser === undefined) {
    throw new EndpointDescriptionError(
      `endpoint type '${prefix}' has no ${side} endpoints`,
      prefix,
    );
  }
  return parser;
}

/** Every registered prefix, built-in ones included, lower-cased. */
export function endpointPrefixes(): string[] {
  return [...registry.keys()];
}
