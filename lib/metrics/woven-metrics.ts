// Tests: tests/metrics/metrics.test.ts
import type { Channel } from 'node:diagnostics_channel';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import { diagnosticsChannels } from '../log/index.js';
import { formatAddress, type ITransport } from '../protocols/index.js';
import { type IReactorTime, reactor as defaultReactor } from '../time/index.js';
import type { ConnectionClosedMessage, ConnectionOpenedMessage } from '../transports/index.js';
import { promClient } from './prom-client-module.js';

/** Options of {@link registerMetrics}. */
export interface RegisterMetricsOptions {
  /** The reactor whose pending delayed calls `woven_delayed_calls` counts (default: woven's `reactor`). */
  reactor?: IReactorTime;
}

/** The `port` label of connections woven made itself (clients), beside the listening addresses. */
export const OUTGOING_PORT_LABEL = 'outgoing';

/** Byte counts as a live connection's socket keeps them. */
interface ByteCounts {
  readonly bytesRead: number;
  readonly bytesWritten: number;
}

/** One open connection: its `port` label and the socket counting its bytes. */
interface OpenConnection {
  readonly port: string;
  readonly bytes: ByteCounts | undefined;
}

function portLabel(message: ConnectionOpenedMessage): string {
  return message.listeningAddress === null
    ? OUTGOING_PORT_LABEL
    : formatAddress(message.listeningAddress);
}

function socketOf(transport: ITransport): ByteCounts | undefined {
  return (transport as { socket?: ByteCounts }).socket;
}

/** Bytes per port: what closed connections moved, plus what open ones have moved so far. */
class ByteTotals {
  readonly #closed = new Map<string, number>();

  add(port: string, bytes: number): void {
    this.#closed.set(port, (this.#closed.get(port) ?? 0) + bytes);
  }

  totals(open: Iterable<OpenConnection>, of: (b: ByteCounts) => number): Map<string, number> {
    const sums = new Map(this.#closed);
    for (const c of open) if (c.bytes) sums.set(c.port, (sums.get(c.port) ?? 0) + of(c.bytes));
    return sums;
  }
}

/**
 * Register woven's metrics on a `prom-client` registry, fed by woven's
 * diagnostics channels (subscribed now, so nothing is measured before):
 *
 * | metric | type | labels |
 * | --- | --- | --- |
 * | `woven_connections_open` | gauge | `port` (listening address, or `outgoing`) |
 * | `woven_connections_total` | counter | `port` |
 * | `woven_bytes_received_total` | counter | `port` |
 * | `woven_bytes_sent_total` | counter | `port` |
 * | `woven_handler_errors_total` | counter | |
 * | `woven_event_loop_lag_seconds` | gauge: mean event-loop delay since the last scrape | |
 * | `woven_delayed_calls` | gauge: pending `callLater`s of the reactor | |
 *
 * Returns a function that unsubscribes and removes them again. Default
 * process metrics are prom-client's own `collectDefaultMetrics`.
 *
 * @example
 * ```ts
 * import { collectDefaultMetrics, Registry } from 'prom-client';
 * const registry = new Registry();
 * collectDefaultMetrics({ register: registry });
 * const unregister = registerMetrics(registry);
 * console.log(await registry.metrics()); // woven_connections_open{port="…"} …
 * unregister();
 * ```
 */
export function registerMetrics(
  registry: Registry,
  options: RegisterMetricsOptions = {},
): () => void {
  const { Counter, Gauge } = promClient();
  const reactor = options.reactor ?? defaultReactor;
  const open = new Map<ITransport, OpenConnection>();
  const received = new ByteTotals();
  const sent = new ByteTotals();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const registers = [registry];
  const connectionsOpen = new Gauge({
    name: 'woven_connections_open',
    help: 'Open connections, by listening port (outgoing: connections woven made).',
    labelNames: ['port'],
    registers,
  });
  const connectionsTotal = new Counter({
    name: 'woven_connections_total',
    help: 'Connections opened, by listening port.',
    labelNames: ['port'],
    registers,
  });
  const byteCounter = (
    name: string,
    help: string,
    totals: ByteTotals,
    of: (b: ByteCounts) => number,
  ) =>
    new Counter({
      name,
      help,
      labelNames: ['port'],
      registers,
      collect() {
        this.reset();
        for (const [port, value] of totals.totals(open.values(), of)) this.inc({ port }, value);
      },
    });
  byteCounter(
    'woven_bytes_received_total',
    'Bytes received, by listening port.',
    received,
    (b) => b.bytesRead,
  );
  byteCounter(
    'woven_bytes_sent_total',
    'Bytes sent, by listening port.',
    sent,
    (b) => b.bytesWritten,
  );
  const handlerErrors = new Counter({
    name: 'woven_handler_errors_total',
    help: 'Protocol handlers that threw, or stream protocols that failed.',
    registers,
  });
  new Gauge({
    name: 'woven_event_loop_lag_seconds',
    help: 'Mean event-loop delay since the last scrape, in seconds.',
    registers,
    aggregator: 'max',
    collect() {
      this.set(Number.isNaN(lag.mean) ? 0 : lag.mean / 1e9);
      lag.reset();
    },
  });
  new Gauge({
    name: 'woven_delayed_calls',
    help: 'Pending delayed calls (callLater) of the reactor.',
    registers,
    collect() {
      this.set(reactor.getDelayedCalls().length);
    },
  });

  const onOpened = (m: unknown) => {
    const message = m as ConnectionOpenedMessage;
    const port = portLabel(message);
    open.set(message.transport, { port, bytes: socketOf(message.transport) });
    connectionsOpen.inc({ port });
    connectionsTotal.inc({ port });
  };
  const onClosed = (m: unknown) => {
    const message = m as ConnectionClosedMessage;
    const known = open.get(message.transport);
    if (known === undefined) return; // opened before the metrics were registered
    open.delete(message.transport);
    connectionsOpen.dec({ port: known.port });
    received.add(known.port, message.bytesReceived);
    sent.add(known.port, message.bytesSent);
  };
  const onHandlerFailed = (_m: unknown) => handlerErrors.inc();
  const subscriptions: [Channel, (message: unknown) => void][] = [
    [diagnosticsChannels.connectionOpened, onOpened],
    [diagnosticsChannels.connectionClosed, onClosed],
    [diagnosticsChannels.handlerFailed, onHandlerFailed],
  ];
  for (const [channel, fn] of subscriptions) channel.subscribe(fn);
  return () => {
    for (const [channel, fn] of subscriptions) channel.unsubscribe(fn);
    lag.disable();
    for (const name of METRIC_NAMES) registry.removeSingleMetric(name);
  };
}

/** The names {@link registerMetrics} registers. */
export const METRIC_NAMES = [
  'woven_connections_open',
  'woven_connections_total',
  'woven_bytes_received_total',
  'woven_bytes_sent_total',
  'woven_handler_errors_total',
  'woven_event_loop_lag_seconds',
  'woven_delayed_calls',
] as const;
