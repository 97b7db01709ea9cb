// Tests: tests/runner/config.test.ts
import { readFileSync } from 'node:fs';
import type { OptionSpec, OptionsSpec } from '../app/index.js';
import { UsageError } from '../app/index.js';

/** Where an option's value came from, highest precedence first. */
export type OptionSource =
  | { from: 'flag' }
  | { from: 'environment'; variable: string }
  | { from: 'file'; path: string }
  | { from: 'default' };

/** A JSON config file given with `--config`: option name → value. */
export interface ConfigFile {
  path: string;
  values: Readonly<Record<string, unknown>>;
}

/** The layers below the command line: the environment and, optionally, a config file. */
export interface OptionLayers {
  env: Readonly<Record<string, string | undefined>>;
  file?: ConfigFile;
}

/** Option values with the source of each. */
export interface ResolvedOptions<V> {
  values: V;
  sources: Record<string, OptionSource>;
}

/** Options that are commands rather than settings: never read from the environment or a file. */
const COMMAND_ONLY = new Set(['version', 'help']);

/**
 * The environment variable of an option: `WOVEN_` and the option's name in
 * upper snake case (`log-level` → `WOVEN_LOG_LEVEL`, `port` → `WOVEN_PORT`).
 */
export function environmentName(key: string): string {
  return `WOVEN_${key.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
}

/** Read a `--config` file: a JSON object whose keys are option names. Bad files are {@link UsageError}s. */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config ${path}: cannot read: ${(error as Error).message}`);
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${path}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new UsageError(`--config ${path}: expected a JSON object of option names to values`);
  }
  if ('config' in values) {
    throw new UsageError(`--config ${path}: "config" cannot be set inside a config file`);
  }
  return { path, values: values as Record<string, unknown> };
}

/** Fail on a config file key that no option in `specs` has, naming the key. */
export function checkConfigKeys(file: ConfigFile | undefined, specs: readonly OptionsSpec[]): void {
  for (const key of Object.keys(file?.values ?? {})) {
    if (!specs.some((spec) => Object.hasOwn(spec, key)) || COMMAND_ONLY.has(key)) {
      throw new UsageError(`--config ${file?.path}: unknown option ${JSON.stringify(key)}`);
    }
  }
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

function fromEnvironment(name: string, o: OptionSpec, raw: string): unknown {
  const bad = (what: string) =>
    new UsageError(`${name}: expected ${what}, got ${JSON.stringify(raw)}`);
  switch (o.type) {
    case 'number': {
      const n = raw.trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(n)) throw bad('a number');
      return n;
    }
    case 'boolean': {
      const word = raw.trim().toLowerCase();
      if (TRUE.has(word)) return true;
      if (FALSE.has(word)) return false;
      throw bad('true or false');
    }
    case 'string[]':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    default:
      return raw;
  }
}

function fromFile(file: ConfigFile, key: string, o: OptionSpec, value: unknown): unknown {
  const bad = (what: string) =>
    new UsageError(
      `--config ${file.path}: "${key}": expected ${what}, got ${JSON.stringify(value)}`,
    );
  switch (o.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad('true or false');
      return value;
    case 'string[]': {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
        throw bad('a string or an array of strings');
      }
      return [...list];
    }
    default:
      if (typeof value !== 'string') throw bad('a string');
      return value;
  }
}

/** The value of `key` from the environment or the file, with its source; `undefined` when neither sets it. */
function layeredValue(
  key: string,
  o: OptionSpec,
  layers: OptionLayers,
): { value: unknown; source: OptionSource } | undefined {
  const variable = environmentName(key);
  const raw = layers.env[variable];
  if (raw !== undefined && raw !== '') {
    return { value: fromEnvironment(variable, o, raw), source: { from: 'environment', variable } };
  }
  const file = layers.file;
  if (file !== undefined && Object.hasOwn(file.values, key)) {
    return {
      value: fromFile(file, key, o, file.values[key]),
      source: { from: 'file', path: file.path },
    };
  }
  return undefined;
}

/**
 * Combine parsed command-line values with the environment and a config
 * file: for each option of `spec`, a flag given on the command line wins,
 * then `WOVEN_<OPTION>` (see {@link environmentName}), then the file's key,
 * then the default `parsed` already holds. Values from the environment and
 * the file are checked against the option's type ({@link UsageError}
 * naming the variable or key otherwise).
 */
export function resolveOptions<V extends Record<string, unknown>>(
  spec: OptionsSpec,
  parsed: { values: V; given: ReadonlySet<string> },
  layers: OptionLayers,
): ResolvedOptions<V> {
  const values: Record<string, unknown> = { ...parsed.values };
  const sources: Record<string, OptionSource> = {};
  for (const [key, o] of Object.entries(spec)) {
    if (COMMAND_ONLY.has(key)) continue;
    if (parsed.given.has(key)) {
      sources[key] = { from: 'flag' };
      continue;
    }
    const layered = layeredValue(key, o, layers);
    sources[key] = layered?.source ?? { from: 'default' };
    if (layered) values[key] = layered.value;
  }
  return { values: values as V, sources };
}

function describeSource(source: OptionSource | undefined): string {
  switch (source?.from) {
    case 'flag':
      return 'flag';
    case 'environment':
      return `environment ${source.variable}`;
    case 'file':
      return `config file ${source.path}`;
    default:
      return 'default';
  }
}

function showValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  return String(value);
}

/**
 * The "current values" part of `woven <service> --help`: one line per
 * option with its value and where it came from (`flag`, `environment
 * WOVEN_X`, `config file PATH` or `default`).
 */
export function formatOptionSources(
  resolved: readonly ResolvedOptions<Record<string, unknown>>[],
): string {
  const rows = resolved.flatMap(({ values, sources }) =>
    Object.keys(sources).map(
      (key) => [`  --${key}`, showValue(values[key]), describeSource(sources[key])] as const,
    ),
  );
  const keyWidth = Math.max(0, ...rows.map(([k]) => k.length)) + 2;
  const valueWidth = Math.max(0, ...rows.map(([, v]) => v.length)) + 2;
  return rows
    .map(([k, v, s]) => `${k.padEnd(keyWidth)}${v.padEnd(valueWidth)}from ${s}`)
    .join('\n');
}
