// Tests: tests/runner/metrics.test.ts
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../endpoints/index.js';
import type { IListeningPort } from '../transports/index.js';
import { Logger } from '../log/index.js';
import { promClient, registerMetrics } from '../metrics/index.js';
import { formatAddress } from '../protocols/index.js';
import { connectionDuplex } from '../websocket/index.js';

const log = new Logger('woven.app.monitoring');

/** Where the service is in its life, as `/readyz` reports it. */
type Phase = 'starting' | 'ready' | 'stopping';

/** The `--metrics` endpoint: Prometheus metrics and health checks over HTTP. */
export interface Monitor {
  /** Every service has started: `/readyz` answers 200. */
  ready(): void;
  /** The stop began: `/readyz` answers 503. */
  stopping(): void;
  /** Close the endpoint. */
  close(): Promise<void>;
}

/** How the metrics text is produced: this process's registry, or the sum over cluster workers. */
interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/**
 * In a `--workers` worker: register woven's and the default process metrics
 * on prom-client's global registry, and answer the primary's requests for
 * them (prom-client's cluster protocol over the IPC channel).
 */
export function serveWorkerMetrics(): void {
  const prom = promClient();
  prom.collectDefaultMetrics();
  registerMetrics(prom.register);
  new prom.AggregatorRegistry(); // adds the worker's listener for the primary's requests
}

function localSource(): MetricsSource {
  const prom = promClient();
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry });
  registerMetrics(registry);
  return registry;
}

function clusterSource(): MetricsSource {
  const prom = promClient();
  const aggregator = new prom.AggregatorRegistry();
  return { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() };
}

function answer(res: ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function handler(source: MetricsSource, phase: () => Phase) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return answer(res, 405, 'method not allowed\n');
    }
    if (path === '/healthz') return answer(res, 200, 'ok\n');
    if (path === '/readyz') {
      const now = phase();
      return answer(res, now === 'ready' ? 200 : 503, `${now}\n`);
    }
    if (path !== '/metrics')
      return answer(res, 404, 'not found: try /metrics, /healthz, /readyz\n');
    try {
      answer(res, 200, await source.metrics(), source.contentType);
    } catch (error) {
      log.warn('cannot collect the metrics: {reason}', { reason: (error as Error).message });
      answer(res, 500, `cannot collect the metrics: ${(error as Error).message}\n`);
    }
  };
}

/**
 * Serve `/metrics` (Prometheus text, from prom-client), `/healthz` (200
 * while running) and `/readyz` (200 once every service started, 503 before
 * and while stopping) on the endpoint `description`. With
 * `aggregateWorkers` (a `--workers` primary) the metrics are the sum over
 * the workers, each running {@link serveWorkerMetrics}.
 */
export async function startMonitoring(
  description: string,
  { aggregateWorkers = false }: { aggregateWorkers?: boolean } = {},
): Promise<Monitor> {
  let phase: Phase = 'starting';
  const source = aggregateWorkers ? clusterSource() : localSource();
  const server = createServer(handler(source, () => phase));
  const port: IListeningPort = await listen(description, async (conn) => {
    server.emit('connection', connectionDuplex(conn));
    await conn.closed;
  });
  const host = port.getHost();
  log.info('metrics and health checks on http://{address}/metrics', {
    address: formatAddress(host),
    port: host.type === 'UNIX' ? undefined : host.port,
  });
  return {
    ready: () => {
      if (phase === 'starting') phase = 'ready';
    },
    stopping: () => {
      phase = 'stopping';
    },
    close: async () => {
      server.closeAllConnections();
      await port.stopListening();
    },
  };
}
