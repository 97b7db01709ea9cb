// Tests: tests/threads/thread-pool.test.ts
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * What a thread pool runs: an exported function of an ES module (`module`
 * is a file URL, an absolute path, or a path relative to the current
 * directory; `name` the export), or a self-contained function. A function
 * is sent as its source text (`fn.toString()`) and evaluated in the worker,
 * so it must not use variables from its enclosing scope (imports included;
 * they fail there with `ReferenceError`): pass what it needs as arguments,
 * or `await import(...)` inside it. It must be an arrow function or a
 * `function` expression (a method shorthand's source does not evaluate);
 * bound functions and native functions have no usable source.
 * Arguments and results cross threads by structured clone.
 */
export type ThreadTask<A extends unknown[] = unknown[], R = unknown> =
  | ((...args: A) => R | PromiseLike<R>)
  | { readonly module: string | URL; readonly name: string };

/** The message a worker receives for one task. */
export type TaskMessage =
  | { kind: 'module'; url: string; name: string; args: unknown[] }
  | { kind: 'function'; source: string; args: unknown[] };

/**
 * Describe `task` applied to `args` as a message a worker can run. A
 * module given alone (a string or URL) takes its export's name from the
 * first argument: `(module, name, ...args)`.
 */
export function taskMessage(task: ThreadTask | string | URL, args: unknown[]): TaskMessage {
  if (typeof task === 'string' || task instanceof URL) {
    const [name, ...rest] = args;
    if (typeof name !== 'string')
      throw new TypeError('a task module must be followed by the export name');
    return { kind: 'module', url: moduleURL(task), name, args: rest };
  }
  if (typeof task === 'function') return { kind: 'function', source: task.toString(), args };
  return { kind: 'module', url: moduleURL(task.module), name: task.name, args };
}

function moduleURL(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^[a-z][a-z0-9+.-]+:/i.test(module) && !isAbsolute(module)) return new URL(module).href;
  return pathToFileURL(resolve(module)).href;
}
