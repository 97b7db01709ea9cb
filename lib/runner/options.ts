import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { OptionSpec, OptionsSpec, ParsedOptions } from '../app/index.js';
import { UsageError } from '../app/index.js';
import { unknownOptionHint } from './option-hint.js';

/** The result of {@link parseOptions}: the values, or a request for help. */
export type OptionsResult<O extends OptionsSpec> =
  | {
      help: false;
      values: ParsedOptions<O>;
      positionals: string[];
      /** The options given on the command line (the others hold their defaults). */
      given: Set<string>;
    }
  | { help: true };

type ParseArgsOptions = NonNullable<ParseArgsConfig['options']>;

function toParseArgs(spec: OptionsSpec): ParseArgsOptions {
  const out: ParseArgsOptions = { help: { type: 'boolean', short: 'h' } };
  for (const [key, o] of Object.entries(spec)) {
    out[key] = {
      type: o.type === 'boolean' ? 'boolean' : 'string',
      ...(o.type === 'string[]' ? { multiple: true } : {}),
      ...(o.short ? { short: o.short } : {}),
    };
  }
  return out;
}

/**
 * Rewrite `--no-<flag>` for boolean flags, and join `--<number flag> -5`
 * into `--<flag>=-5` (parseArgs would take `-5` for a flag).
 */
function normalize(
  spec: OptionsSpec,
  argv: readonly string[],
): { argv: string[]; off: Set<string> } {
  const off = new Set<string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const negated = arg.startsWith('--no-') ? arg.slice(5) : undefined;
    const next = argv[i + 1];
    if (negated && spec[negated]?.type === 'boolean') off.add(negated);
    else if (
      spec[arg.slice(2)]?.type === 'number' &&
      arg.startsWith('--') &&
      next !== undefined &&
      /^-[\d.]/.test(next)
    ) {
      rest.push(`${arg}=${next}`);
      i++;
    } else rest.push(arg);
  }
  return { argv: rest, off };
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split(/\.\s|\n/)[0] ?? message).replace(/\.$/, '');
}

/** `message`, followed by the closest known option when `error` is about an unknown one. */
function withHint(spec: OptionsSpec, error: unknown, message: string): string {
  if ((error as { code?: unknown }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return message;
  const flag = /'(-[^']*)'/.exec(message)?.[1];
  const hint = flag === undefined ? undefined : unknownOptionHint(spec, flag);
  return hint ? `${message}; ${hint}` : message;
}

function toNumber(key: string, raw: string): number {
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(n))
    throw new UsageError(`--${key}: expected a number, got ${JSON.stringify(raw)}`);
  return n;
}

function optionValue(key: string, o: OptionSpec, raw: unknown): unknown {
  if (raw === undefined) {
    if (o.default !== undefined) return Array.isArray(o.default) ? [...o.default] : o.default;
    if (o.type === 'boolean') return false;
    if (o.type === 'string[]') return [];
    return undefined;
  }
  if (o.type === 'number') return toNumber(key, raw as string);
  return raw;
}

/**
 * Parse `argv` against a plugin's options with node:util `parseArgs` (strict:
 * unknown flags are errors). Numbers are validated, defaults applied, and
 * `--no-<flag>` turns a boolean off. `-h`/`--help` returns `{help: true}`.
 * Bad usage throws {@link UsageError} with a one-line reason naming the flag
 * (for an unknown flag, with the closest known one or the twistd habit it looks like).
 *
 * @example
 * ```ts
 * const r = parseOptions({ port: { type: 'string', default: 'tcp:8000' } }, ['--port', 'tcp:0']);
 * if (!r.help) r.values.port; // 'tcp:0'
 * ```
 */
export function parseOptions<O extends OptionsSpec>(
  spec: O,
  argv: readonly string[],
  { allowPositionals = false }: { allowPositionals?: boolean } = {},
): OptionsResult<O> {
  const { argv: args, off } = normalize(spec, argv);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: toParseArgs(spec), strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(withHint(spec, error, oneLine(error)));
  }
  if (parsed.values.help) return { help: true };
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const [key, o] of Object.entries(spec)) {
    if (off.has(key) || parsed.values[key] !== undefined) given.add(key);
    values[key] = off.has(key) ? false : optionValue(key, o, parsed.values[key]);
  }
  return {
    help: false,
    values: values as ParsedOptions<O>,
    positionals: parsed.positionals,
    given,
  };
}

/**
 * Split a command line at its first positional argument: the flags before it
 * (for the runner), the positional itself (the service name) and everything
 * after it (for the service). Flags of `spec` that take a value consume the
 * next argument.
 */
export function splitAtCommand(
  spec: OptionsSpec,
  argv: readonly string[],
): { before: string[]; command: string | undefined; after: string[] } {
  const shorts = new Map(Object.entries(spec).map(([k, o]) => [o.short, k] as const));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      return { before: argv.slice(0, i), command: argv[i + 1], after: argv.slice(i + 2) };
    }
    if (!arg.startsWith('-') || arg === '-') {
      return { before: argv.slice(0, i), command: arg, after: argv.slice(i + 1) };
    }
    if (arg.includes('=')) continue;
    const key = arg.startsWith('--') ? arg.slice(2) : shorts.get(arg.slice(1));
    const o = key === undefined ? undefined : spec[key];
    if (o && o.type !== 'boolean') i++;
  }
  return { before: [...argv], command: undefined, after: [] };
}

function flagLabel(key: string, o: OptionSpec): string {
  const short = o.short ? `-${o.short}, ` : '    ';
  const arg = o.type === 'boolean' ? '' : o.type === 'string[]' ? ' <string> ...' : ` <${o.type}>`;
  return `  ${short}--${key}${arg}`;
}

/** The `--help` text for a set of options: one line per flag, with its default. */
export function formatOptionsHelp(spec: OptionsSpec): string {
  const rows = Object.entries(spec).map(([key, o]) => {
    const def =
      o.default === undefined || (Array.isArray(o.default) && o.default.length === 0)
        ? ''
        : ` (default: ${Array.isArray(o.default) ? o.default.join(', ') : String(o.default)})`;
    return [flagLabel(key, o), `${o.description ?? ''}${def}`] as const;
  });
  rows.push(['  -h, --help', 'show this help']);
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return rows.map(([l, d]) => `${l.padEnd(width)}${d}`.trimEnd()).join('\n');
}
