import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const runner = fileURLToPath(new URL('./aplus-runner.ts', import.meta.url));

it('Deferred passes all 872 tests of the Promises/A+ compliance suite', async () => {
  const { stdout } = await run(
    process.execPath,
    ['--unhandled-rejections=none', '--import', 'tsx', runner],
    { timeout: 110_000, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
  expect(stdout).toMatch(/\b872 passing\b/);
  expect(stdout).not.toMatch(/\bfailing\b/);
}, 120_000);
