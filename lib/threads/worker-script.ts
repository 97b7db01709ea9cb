// Tests: tests/threads/thread-pool.test.ts

/**
 * The file URL of the module every pool worker loads: `pool-worker.mjs`,
 * shipped in the package's own `lib/threads/` and resolved from this
 * module's location (the same path from `lib/threads/` and from
 * `dist/threads/`). Nothing is written to, or read from, a shared
 * directory such as the OS temporary directory, so no other user can plant
 * or remove the code a worker runs.
 */
export function workerModuleURL(): string {
  return new URL('../../lib/threads/pool-worker.mjs', import.meta.url).href;
}
