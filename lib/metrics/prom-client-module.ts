// Internal: the `prom-client` package, loaded on first use.
// Tests: tests/metrics/metrics.test.ts
import { createRequire } from 'node:module';

/** The `prom-client` package's exports. */
export type PromClientModule = typeof import('prom-client');

const require = createRequire(import.meta.url);

/**
 * The `prom-client` package, loaded the first time metrics are registered
 * rather than when woven is imported: servers that are not scraped do not
 * pay for it. Node caches it after the first call.
 */
export function promClient(): PromClientModule {
  return require('prom-client') as PromClientModule;
}
