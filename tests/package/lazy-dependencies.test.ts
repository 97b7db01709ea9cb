// Importing woven loads none of its heavy optional dependencies (`ws`,
// `send`, `piscina`): each is loaded the first time it is used.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const LAZY = ['ws', 'send', 'piscina'];

/**
 * In a fresh Node process: import woven, run `use` (code using its exports
 * as `w`), and list the packages of `LAZY` in Node's module cache (each is a
 * CommonJS package, so loading it in any way puts it there).
 */
function loadedAfter(use: string): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    const w = await import(${JSON.stringify(join(ROOT, 'lib', 'index.ts'))});
    ${use}
    const cache = Object.keys(createRequire(import.meta.url).cache);
    const lazy = ${JSON.stringify(LAZY)};
    console.log(JSON.stringify(lazy.filter((p) => cache.some((f) => f.includes('/node_modules/' + p + '/')))));
    process.exit(0);
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, timeout: 15_000 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout.trim()))),
    );
  });
}

describe('lazy dependencies', () => {
  it('importing woven loads neither ws, send nor piscina', async () => {
    expect(await loadedAfter('')).toEqual([]);
  });

  it('each is loaded when first used', async () => {
    const used = await loadedAfter(`
      w.webSocketServer(async () => {});
      new w.ThreadPool().start();
      (await import(${JSON.stringify(join(ROOT, 'lib', 'plugins', 'builtins', 'static-files.ts'))})).staticFiles('.');
    `);
    expect(used).toEqual(LAZY);
  });
});
