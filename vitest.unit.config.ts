// `npm run test:unit`: the unit tests alone (Clock, in-memory transports, no
// sockets, processes or worker threads), fast beside the full suite. The
// integration tests are listed here; tests/unit-only.ts makes any other test
// that opens a socket or starts a process fail, so the list stays true.
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** Tests that use real sockets, processes or worker threads, and the documentation check. */
export const integrationTests = [
  'tests/architecture/examples.test.ts',
  'tests/benchmarks/**',
  'tests/examples/**',
  'tests/interop/**',
  'tests/package/**',
  'tests/readme/**',
  'tests/runner/**',
  'tests/threads/**',
  'tests/transports/**',
  'tests/websocket/**',
  'tests/app/client-service.test.ts',
  'tests/defer/aplus.test.ts',
  'tests/defer/deferred-list.test.ts',
  'tests/defer/unhandled.test.ts',
  'tests/endpoints/connection-pool.test.ts',
  'tests/endpoints/integration.test.ts',
  'tests/endpoints/rate-limited.test.ts',
  'tests/endpoints/signals.test.ts',
  'tests/endpoints/wrap-tls.test.ts',
  'tests/log/diagnostics.test.ts',
  'tests/metrics/metrics.test.ts',
  'tests/plugins/builtins.test.ts',
  'tests/plugins/plugin-package.test.ts',
  'tests/plugins/web-limits.test.ts',
  'tests/plugins/web.test.ts',
  'tests/protocols/basic/twisted-interop.test.ts',
  'tests/protocols/client-mistake.test.ts',
  'tests/protocols/fairness.test.ts',
  'tests/protocols/framing/tcp.test.ts',
  'tests/protocols/policies/limits.test.ts',
  'tests/protocols/policies/timeout-factory.test.ts',
];

export default defineConfig({
  test: {
    ...base.test,
    globalSetup: [],
    exclude: [...configDefaults.exclude, ...integrationTests],
    setupFiles: ['tests/unit-only.ts'],
  },
});
