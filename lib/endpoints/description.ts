// Tests: tests/endpoints/description.test.ts, tests/endpoints/properties.test.ts
import { EndpointDescriptionError } from './errors.js';

/**
 * An endpoint description split into its parts, as Twisted's
 * `endpoints._parse`: `args` are the `:`-separated parts without an `=`
 * (the first one is the prefix), `kwargs` the `key=value` parts.
 */
export interface ParsedDescription {
  readonly args: string[];
  readonly kwargs: Record<string, string>;
}

/**
 * Split an endpoint description (`prefix:arg:key=value:...`) into positional
 * and keyword arguments, as Twisted's strports parser: `:` separates
 * arguments, the first `=` of an argument separates a key from its value (a
 * later `=` is part of the value), and a backslash makes the next character
 * literal (`\:`, `\=`, `\\`). A later `key=` replaces an earlier one.
 *
 * @example
 * ```ts
 * parseDescription('tcp:80:interface=127.0.0.1');
 * // {args: ['tcp', '80'], kwargs: {interface: '127.0.0.1'}}
 * ```
 */
export function parseDescription(description: string): ParsedDescription {
  const args: string[] = [];
  const kwargs: Record<string, string> = Object.create(null);
  let key: string | undefined;
  let current = '';
  const finish = (): void => {
    if (key === undefined) args.push(current);
    else kwargs[key] = current;
    key = undefined;
    current = '';
  };
  for (let i = 0; i < description.length; i++) {
    const ch = description[i];
    if (ch === '\\') {
      i++;
      if (i >= description.length) {
        throw new EndpointDescriptionError(
          `endpoint description ${JSON.stringify(description)} ends with a lone backslash`,
          '\\',
        );
      }
      current += description[i];
    } else if (ch === ':') {
      finish();
    } else if (ch === '=' && key === undefined) {
      key = current;
      current = '';
    } else {
      current += ch;
    }
  }
  finish();
  return { args, kwargs };
}

/**
 * Escape `\`, `:` and `=` in `argument` so it can be placed in an endpoint
 * description as one argument (Twisted's `quoteStringArgument`, which leaves `=` alone).
 *
 * @example
 * ```ts
 * serverFromString(reactor, `ssl:443:privateKey=${quoteStringArgument('C:/key.pem')}`);
 * ```
 */
export function quoteStringArgument(argument: string): string {
  return argument.replace(/[\\:=]/g, (c) => `\\${c}`);
}
