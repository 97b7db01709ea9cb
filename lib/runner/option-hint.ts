// Tests: tests/runner/options.test.ts
import type { OptionsSpec } from '../app/index.js';

/** The number of single-character insertions, deletions and substitutions turning `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(substitute, (previous[j] as number) + 1, (row[j - 1] as number) + 1));
    }
    previous = row;
  }
  return previous[b.length] as number;
}

/** twistd's flags that mean something else here, by name without dashes. */
const TWISTD_HABITS: Readonly<Record<string, (spec: OptionsSpec) => string | undefined>> = {
  n: () => 'woven always runs in the foreground (no -n needed)',
  nodaemon: () => 'woven always runs in the foreground (no --nodaemon needed)',
  listen: (spec) => (spec.port ? 'did you mean --port?' : undefined),
  l: (spec) => (spec.logfile ? 'did you mean --logfile?' : undefined),
};

/**
 * A hint for an unknown `flag` (`--dest_port`, `-n`) given the known
 * options: the closest known flag by edit distance (dashes and underscores
 * alike), or what a twistd habit is called here; `undefined` if nothing is
 * close.
 */
export function unknownOptionHint(spec: OptionsSpec, flag: string): string | undefined {
  const name = flag.replace(/^-{1,2}/, '').split('=')[0] ?? '';
  const habit = TWISTD_HABITS[name]?.(spec);
  if (habit) return habit;
  const wanted = name.replaceAll('_', '-').toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const key of [...Object.keys(spec), 'help']) {
    const distance = editDistance(wanted, key);
    if (best === undefined || distance < best.distance) best = { key, distance };
  }
  const close = best !== undefined && best.distance <= Math.max(2, Math.floor(best.key.length / 3));
  return close ? `did you mean --${best?.key}?` : undefined;
}
