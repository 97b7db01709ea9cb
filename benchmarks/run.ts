// `npm run bench [name...]`: runs each benchmark file (benchmarks/<name>.bench.ts)
// in its own Node process, one after another, so they do not disturb each other.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

/**
 * Extra Node flags a benchmark asks for with a `// node-flags: ...` line.
 * Only where needed: --expose-gc, for one, halves the Deferred benchmark's
 * throughput (it changes how V8 optimizes), so it is not given to all.
 */
function nodeFlags(path: string): string[] {
  const match = /^\/\/ node-flags: (.+)$/m.exec(readFileSync(path, 'utf8'));
  return match ? match[1]!.trim().split(/\s+/) : [];
}

let failed = 0;
for (const file of files) {
  console.log(`\n## ${file.replace('.bench.ts', '')}\n`);
  const path = join(here, file);
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...nodeFlags(path), path], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
