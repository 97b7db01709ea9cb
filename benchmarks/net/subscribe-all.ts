// Preload for measuring the diagnostics channels' cost: subscribes a no-op to
// every woven channel, so each message is built and published. Run a bench
// with and without it (the servers inherit NODE_OPTIONS):
//   NODE_OPTIONS="--import tsx --import ./benchmarks/net/subscribe-all.ts" npx tsx benchmarks/echo.bench.ts
import { subscribe } from 'node:diagnostics_channel';
import { diagnosticsChannels } from '../../lib/index.js';

let seen = 0;
for (const c of Object.values(diagnosticsChannels)) {
  subscribe(c.name, () => {
    seen++;
  });
}
process.once('exit', () => {
  if (process.env.WOVEN_BENCH_SUBSCRIBER_REPORT) console.error(`diagnostics messages: ${seen}`);
});
