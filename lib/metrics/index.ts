// The metrics area: woven's Prometheus metrics on a prom-client registry.
export {
  METRIC_NAMES,
  OUTGOING_PORT_LABEL,
  type RegisterMetricsOptions,
  registerMetrics,
} from './woven-metrics.js';
export { type PromClientModule, promClient } from './prom-client-module.js';
