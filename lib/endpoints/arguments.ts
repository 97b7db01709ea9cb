// Tests: tests/endpoints/from-string.test.ts, tests/endpoints/properties.test.ts
import { EndpointDescriptionError } from './errors.js';

/** Bound description arguments: each parameter name to its string value, if given. */
export type BoundArguments<N extends string> = { [K in N]: string | undefined };

/**
 * Bind a description's positional and keyword arguments to parameter names,
 * as a Python call would bind them to a parser's signature: positional
 * arguments fill `names` in order; an unknown keyword, a surplus positional
 * argument, or a parameter given twice is an {@link EndpointDescriptionError}.
 */
export function bindArguments<N extends string>(
  prefix: string,
  names: readonly N[],
  args: readonly string[],
  kwargs: Readonly<Record<string, string>>,
): BoundArguments<N> {
  if (args.length > names.length) {
    const extra = args[names.length];
    throw new EndpointDescriptionError(
      `${prefix}: unexpected argument ${JSON.stringify(extra)} (takes at most ${names.length} positional arguments: ${names.join(', ')})`,
      extra,
    );
  }
  const bound = Object.create(null) as BoundArguments<N>;
  names.forEach((name, i) => {
    bound[name] = args[i];
  });
  for (const key of Object.keys(kwargs)) {
    if (!(names as readonly string[]).includes(key)) {
      throw new EndpointDescriptionError(
        `${prefix}: unknown keyword argument ${JSON.stringify(key)} (known: ${names.join(', ')})`,
        key,
      );
    }
    const name = key as N;
    if (bound[name] !== undefined) {
      throw new EndpointDescriptionError(
        `${prefix}: argument ${JSON.stringify(key)} given twice (positionally and as ${key}=)`,
        key,
      );
    }
    bound[name] = kwargs[key];
  }
  return bound;
}

/** Fail because the required argument `name` is missing. */
export function requireArgument(prefix: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new EndpointDescriptionError(`${prefix}: missing required argument ${name}`, name);
  }
  return value;
}

function invalid(prefix: string, name: string, value: string, what: string): never {
  throw new EndpointDescriptionError(
    `${prefix}: ${name}=${JSON.stringify(value)} is not ${what}`,
    value,
  );
}

/** Parse a base-10 integer argument (Python's `int(value)`), or fail naming it. */
export function toInteger(prefix: string, name: string, value: string): number {
  const text = value.trim();
  if (!/^[+-]?\d+$/.test(text)) invalid(prefix, name, value, 'an integer');
  return Number.parseInt(text, 10);
}

/** Parse a port number (0-65535), or fail naming it. */
export function toPort(prefix: string, name: string, value: string): number {
  const port = toInteger(prefix, name, value);
  if (port < 0 || port > 65535) invalid(prefix, name, value, 'a port number (0-65535)');
  return port;
}

/** Parse a non-negative integer (a backlog, say), or fail naming it. */
export function toCount(prefix: string, name: string, value: string): number {
  const n = toInteger(prefix, name, value);
  if (n < 0) invalid(prefix, name, value, 'a non-negative integer');
  return n;
}

/** Parse an octal file mode such as `660` or `0o660`, or fail naming it. */
export function toMode(prefix: string, name: string, value: string): number {
  const text = value.trim().replace(/^0o/i, '');
  if (!/^[0-7]+$/.test(text)) invalid(prefix, name, value, 'an octal file mode');
  return Number.parseInt(text, 8);
}

/** Parse a flag given as an integer (`0` is false, any other integer true), as Twisted's `bool(int(value))`. */
export function toFlag(prefix: string, name: string, value: string): boolean {
  return toInteger(prefix, name, value) !== 0;
}

/** Parse a duration in seconds (a positive finite number), or fail naming it. */
export function toSeconds(prefix: string, name: string, value: string): number {
  const text = value.trim();
  const seconds = Number(text);
  if (text === '' || !Number.isFinite(seconds) || seconds <= 0) {
    invalid(prefix, name, value, 'a positive number of seconds');
  }
  return seconds;
}
