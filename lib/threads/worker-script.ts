// Tests: tests/threads/thread-pool.test.ts
import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The plain-JavaScript module every pool worker loads. It runs one task
 * message: either an exported function of an ES module (imported once per
 * worker) or a self-contained function's source (evaluated once per worker).
 * Errors are returned as plain descriptions so their name survives the
 * structured clone.
 */
const SOURCE = `
const functions = new Map();
async function resolve(message) {
  const key = message.kind === 'module' ? message.url + '#' + message.name : message.source;
  let fn = functions.get(key);
  if (fn === undefined) {
    if (message.kind === 'module') {
      const mod = await import(message.url);
      fn = mod[message.name];
      if (typeof fn !== 'function') throw new TypeError(message.url + ' exports no function named ' + message.name);
    } else {
      fn = (0, eval)('(' + message.source + ')');
      if (typeof fn !== 'function') throw new TypeError('the task source is not a function expression');
    }
    functions.set(key, fn);
  }
  return fn;
}
function describe(error) {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack, code: typeof error.code === 'string' ? error.code : undefined };
  }
  return { name: 'Error', message: String(error) };
}
export default async function runTask(message) {
  try {
    const fn = await resolve(message);
    return { ok: true, value: await fn(...message.args) };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}
`;

let cached: string | undefined;

/**
 * The file URL of the worker module, written once into the OS temporary
 * directory under a name derived from its content (so any woven version
 * finds its own, and concurrent processes write identical bytes).
 */
export function workerModuleURL(): string {
  if (cached !== undefined) return cached;
  const hash = createHash('sha256').update(SOURCE).digest('hex').slice(0, 16);
  const path = join(tmpdir(), `woven-thread-worker-${hash}.mjs`);
  if (!existsSync(path)) {
    const partial = `${path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(partial, SOURCE);
    renameSync(partial, path);
  }
  cached = pathToFileURL(path).href;
  return cached;
}
