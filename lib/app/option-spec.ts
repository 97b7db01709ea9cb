/** The type of one service option: how its `--flag` is parsed. */
export type OptionType = 'string' | 'number' | 'boolean' | 'string[]';

/**
 * One option of a service plugin, as one entry of Twisted's
 * `usage.Options.optParameters`/`optFlags`: it becomes the flag `--<key>`.
 */
export interface OptionSpec {
  /** How the flag is parsed; `'string[]'` may be repeated. */
  type: OptionType;
  /** The value when the flag is absent. */
  default?: string | number | boolean | readonly string[];
  /** One line for `--help`. */
  description?: string;
  /** A one-letter alias (`-p`). */
  short?: string;
}

/** A service plugin's options: flag name → {@link OptionSpec}. */
export type OptionsSpec = Record<string, OptionSpec>;

type ValueOf<T extends OptionType> = T extends 'string'
  ? string
  : T extends 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : string[];

/** The values `makeService` receives: each option by key, typed by its spec. */
export type ParsedOptions<O extends OptionsSpec> = {
  [K in keyof O]: O[K] extends { default: unknown }
    ? ValueOf<O[K]['type']>
    : O[K]['type'] extends 'boolean' | 'string[]'
      ? ValueOf<O[K]['type']>
      : ValueOf<O[K]['type']> | undefined;
};
