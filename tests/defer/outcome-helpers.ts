// Helpers for the tests of the Deferred companions (lists, race, locks, queue).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Deferred } from '../../lib/index.js';

/**
 * Everything `d` fires with from now on (one entry, or none while it has not
 * fired), consumed: the chain ends with `undefined`, so nothing is left
 * unhandled. The Twisted tests' `successResultOf`/`failureResultOf`.
 */
export function outcomes(d: Deferred<unknown>): unknown[] {
  const seen: unknown[] = [];
  d.addBoth((r: unknown) => {
    seen.push(r);
  });
  return seen;
}

const execFileAsync = promisify(execFile);
const libIndex = pathToFileURL(fileURLToPath(new URL('../../lib/index.ts', import.meta.url))).href;

/**
 * Run `body` (TypeScript, with every public name of woven in scope as
 * `woven.X`) in a child Node process and return the messages of the failures
 * reported as "Unhandled error in Deferred" before it exits.
 */
export async function unhandledReports(body: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'woven-unhandled-'));
  const script = join(dir, 'script.mts');
  await writeFile(
    script,
    `import { writeSync } from 'node:fs';
import * as woven from '${libIndex}';
woven.globalLogPublisher.addObserver((e) => {
  const f = e.log_failure;
  if (String(e.log_format).startsWith('Unhandled error in Deferred') && f instanceof woven.Failure) {
    writeSync(1, JSON.stringify(f.getErrorMessage()) + '\\n');
  }
});
${body}
`,
  );
  try {
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      timeout: 20_000,
    });
    return stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as string);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
