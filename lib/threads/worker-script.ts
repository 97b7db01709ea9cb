// Tests: tests/threads/thread-pool.test.ts
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
 * The file URL of the worker module. It is written once into the OS
 * temporary directory under a name derived from its content, and used only
 * if it is ours: same bytes, owned by this user, writable by no one else
 * (another user could otherwise plant code there). Failing that, it goes
 * into a fresh private directory, removed at exit.
 */
export function workerModuleURL(): string {
  if (cached !== undefined) return cached;
  const hash = createHash('sha256').update(SOURCE).digest('hex').slice(0, 16);
  const shared = join(tmpdir(), `woven-thread-worker-${hash}.mjs`);
  let path = shared;
  try {
    if (!existsSync(shared)) writeAtomically(shared);
    if (!isTrusted(shared)) path = privateCopy();
  } catch {
    path = privateCopy();
  }
  cached = pathToFileURL(path).href;
  return cached;
}

function writeAtomically(path: string): void {
  const partial = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(partial, SOURCE, { mode: 0o644, flag: 'wx' });
  renameSync(partial, path);
}

function isTrusted(path: string): boolean {
  const stat = lstatSync(path);
  if (!stat.isFile()) return false;
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return false;
  if ((stat.mode & 0o022) !== 0) return false;
  return readFileSync(path, 'utf8') === SOURCE;
}

function privateCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'woven-thread-worker-'));
  const path = join(dir, 'worker.mjs');
  writeFileSync(path, SOURCE, { mode: 0o600 });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return path;
}
