// Tests: tests/threads/thread-pool.test.ts

/**
 * The file URL of the module every pool worker loads: `thread-worker.mjs`
 * beside this module, inside the package's own files (`lib/threads` when run
 * from source, `dist/threads` once built). Never a file in a shared, writable
 * place such as the temporary directory, where another user or a temp
 * cleaner could replace or remove it.
 */
export function workerModuleURL(): string {
  return new URL('./thread-worker.mjs', import.meta.url).href;
}
