// Vitest globalSetup: the CLI tests spawn `bin/woven.js`, which runs the
// compiled package in dist/. Build it (tsc -p tsconfig.build.json) when the
// run includes those tests and lib/ changed since the last build.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
const CLI_TEST_DIRS = [
  'tests/app',
  'tests/plugins',
  'tests/runner',
  'tests/package',
  'tests/readme',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

/** Whether this vitest run may include the CLI tests (no file filter, or one that matches them). */
function runsCliTests(): boolean {
  const runIndex = process.argv.findIndex((a) => a === 'run' || a === 'watch');
  const filters = process.argv.slice(runIndex + 1).filter((a) => !a.startsWith('-'));
  if (runIndex < 0 || filters.length === 0) return true;
  return filters.some((f) =>
    CLI_TEST_DIRS.some((d) => d.startsWith(f) || f.includes(d) || f.includes('cli')),
  );
}

export default function setup(): void {
  if (!runsCliTests()) return;
  const stale = !existsSync(STAMP) || newestMtime(join(ROOT, 'lib')) > statSync(STAMP).mtimeMs;
  if (!stale) return;
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        stdio: 'pipe',
      },
    );
    writeFileSync(STAMP, '');
  } catch (error) {
    // tsc still emits JavaScript on type errors; `npm test` reports those separately.
    const output = String((error as { stdout?: unknown }).stdout ?? '');
    console.warn(
      `global-setup: build reported errors (dist/ emitted anyway):\n${output.slice(0, 2000)}`,
    );
  }
}
