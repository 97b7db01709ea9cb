// registerMetrics: woven's metrics on a library user's own prom-client
// registry, fed by the diagnostics channels, over real sockets.
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Connection,
  connect,
  diagnosticsChannels,
  type IListeningPort,
  listen,
  METRIC_NAMES,
  OUTGOING_PORT_LABEL,
  registerMetrics,
  reactor,
} from '../../lib/index.js';
import { nextPublished } from '../helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sample(registry: Registry, name: string, labels: Record<string, string> = {}) {
  const metric = await registry.getSingleMetric(name)?.get();
  const wanted = JSON.stringify(labels);
  return metric?.values.find((v) => JSON.stringify(v.labels) === wanted)?.value;
}

async function echoServer(): Promise<{ port: IListeningPort; label: string }> {
  const port = await listen('tcp:0:interface=127.0.0.1', async function* (conn: Connection) {
    for await (const chunk of conn) yield chunk;
  });
  cleanups.push(() => port.stopListening());
  const host = port.getHost() as { port: number };
  return { port, label: `127.0.0.1:${host.port}` };
}

describe('registerMetrics', () => {
  it('counts connections and bytes per listening port and for outgoing connections', async () => {
    const registry = new Registry();
    cleanups.push(registerMetrics(registry));
    const { label } = await echoServer();
    const conn = await connect(`tcp:${label}`);
    await conn.write('hello');
    for await (const chunk of conn) {
      expect(Buffer.from(chunk).toString()).toBe('hello');
      break;
    }
    expect(await sample(registry, 'woven_connections_open', { port: label })).toBe(1);
    expect(await sample(registry, 'woven_connections_open', { port: OUTGOING_PORT_LABEL })).toBe(1);
    expect(await sample(registry, 'woven_connections_total', { port: label })).toBe(1);
    expect(await sample(registry, 'woven_bytes_received_total', { port: label })).toBe(5);
    expect(await sample(registry, 'woven_bytes_sent_total', { port: label })).toBe(5);
    const serverClosed = nextPublished<{ listeningAddress: unknown }>(
      diagnosticsChannels.connectionClosed,
      (m) => m.listeningAddress !== null,
    );
    conn.abort();
    await conn.closed;
    await serverClosed;
    expect(await sample(registry, 'woven_connections_open', { port: label })).toBe(0);
    expect(await sample(registry, 'woven_bytes_received_total', { port: label })).toBe(5);
  });

  it('counts handler failures and the reactor’s pending delayed calls', async () => {
    const registry = new Registry();
    cleanups.push(registerMetrics(registry, { reactor }));
    const call = reactor.callLater(60, () => {});
    cleanups.push(() => call.cancel());
    expect(await sample(registry, 'woven_delayed_calls')).toBe(reactor.getDelayedCalls().length);
    const port = await listen('tcp:0:interface=127.0.0.1', async () => {
      throw new Error('handler bug');
    });
    cleanups.push(() => port.stopListening());
    const host = port.getHost() as { port: number };
    const failed = nextPublished(diagnosticsChannels.handlerFailed);
    // The failing handler aborts the connection, perhaps before the connect completes.
    await connect(`tcp:127.0.0.1:${host.port}`).then(
      (conn) => conn.closed,
      () => undefined,
    );
    await failed;
    expect(await sample(registry, 'woven_handler_errors_total')).toBe(1);
  });

  it('returns a function that removes the metrics and unsubscribes', async () => {
    const registry = new Registry();
    const before = diagnosticsChannels.connectionOpened.hasSubscribers;
    const unregister = registerMetrics(registry);
    expect(diagnosticsChannels.connectionOpened.hasSubscribers).toBe(true);
    expect(
      registry
        .getMetricsAsArray()
        .map((m) => m.name)
        .sort(),
    ).toEqual([...METRIC_NAMES].sort());
    unregister();
    expect(registry.getMetricsAsArray()).toEqual([]);
    expect(diagnosticsChannels.connectionOpened.hasSubscribers).toBe(before);
  });
});
