// Internal: the `ws` package, loaded on first use.
// Tests: tests/package/lazy-dependencies.test.ts
import { createRequire } from 'node:module';

/** The `ws` package's exports. */
export type WsModule = typeof import('ws');

const require = createRequire(import.meta.url);

/**
 * The `ws` package, loaded the first time a WebSocket is made rather than
 * when woven is imported (it costs heap and startup time to servers that
 * never speak WebSocket). Node caches it after the first call.
 */
export function wsModule(): WsModule {
  return require('ws') as WsModule;
}
