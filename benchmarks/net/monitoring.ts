// The monitoring a benchmark server runs under, from WOVEN_BENCH_MONITOR:
// `subscriber` subscribes a no-op to every woven diagnostics channel (each
// message is built and published); `metrics` registers woven's and the
// default process metrics on a prom-client registry and scrapes it every
// second (Prometheus scrapes every 15 s or so: this is the heavier case);
// unset or `none`, nothing.
import { subscribe } from 'node:diagnostics_channel';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { diagnosticsChannels, registerMetrics } from '../../lib/index.js';

/** Start the monitoring `mode` names. */
export function startMonitoring(mode: string | undefined): void {
  if (mode === 'subscriber') {
    for (const c of Object.values(diagnosticsChannels)) subscribe(c.name, () => {});
  } else if (mode === 'metrics') {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    registerMetrics(registry);
    setInterval(() => void registry.metrics(), 1000).unref();
  } else if (mode !== undefined && mode !== 'none') {
    throw new Error(`WOVEN_BENCH_MONITOR: unknown mode ${mode}`);
  }
}
