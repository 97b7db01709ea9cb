// `woven --metrics DESC`: Prometheus metrics (prom-client), /healthz and
// /readyz over HTTP, from the real CLI, alone and summed over --workers.
import { type AddressInfo, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectTo,
  heldConnection,
  killAll,
  readUntil,
  WovenProcess,
  destroyClients,
} from './woven-process.js';

afterEach(async () => {
  destroyClients();
  await killAll();
});

const METRICS = ['--metrics', 'tcp:0:interface=127.0.0.1'];

/** The metrics endpoint's port, from its JSON log line. */
async function metricsPort(p: WovenProcess): Promise<number> {
  const line = await p.waitForLine(/metrics and health checks on/, 15_000);
  return (JSON.parse(line) as { port: number }).port;
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

/** The value of `metric` (with its labels as written, e.g. `{port="..."}`) in the text format. */
function sampleOf(text: string, metric: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${metric} `));
  return line === undefined ? undefined : Number(line.slice(metric.length + 1));
}

/** Poll `path` until `accept` holds (bounded); returns the last answer. */
async function until(
  port: number,
  path: string,
  accept: (r: { status: number; body: string }) => boolean,
) {
  let last = await get(port, path);
  for (let i = 0; i < 100 && !accept(last); i++) {
    await new Promise((r) => setTimeout(r, 50));
    last = await get(port, path);
  }
  expect(accept(last), `${path} never matched; last: ${last.status} ${last.body}`).toBe(true);
  return last;
}

describe('woven --metrics', () => {
  it('serves woven and process metrics, /healthz and /readyz beside a service', async () => {
    const p = new WovenProcess([
      '--log-format',
      'json',
      ...METRICS,
      'echo',
      '--port',
      'tcp:0:interface=127.0.0.1',
    ]);
    const mport = await metricsPort(p);
    const port = await p.listeningPort();
    expect((await get(mport, '/healthz')).status).toBe(200);
    await until(mport, '/readyz', (r) => r.status === 200);
    const client = await connectTo(port);
    client.write('twelve bytes');
    await readUntil(client, (b) => b.length >= 12);
    const label = `{port="127.0.0.1:${port}"}`;
    const { body } = await until(
      mport,
      '/metrics',
      (r) => sampleOf(r.body, `woven_connections_open${label}`) === 1,
    );
    expect(sampleOf(body, `woven_connections_total${label}`)).toBe(1);
    expect(sampleOf(body, `woven_bytes_received_total${label}`)).toBe(12);
    expect(sampleOf(body, `woven_bytes_sent_total${label}`)).toBe(12);
    expect(sampleOf(body, 'woven_handler_errors_total')).toBe(0);
    expect(sampleOf(body, 'woven_delayed_calls')).toBeGreaterThanOrEqual(0);
    expect(sampleOf(body, 'woven_event_loop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(body).toContain('# TYPE process_cpu_user_seconds_total counter');
    client.destroy();
    await until(mport, '/metrics', (r) => sampleOf(r.body, `woven_connections_open${label}`) === 0);
    expect((await get(mport, '/nope')).status).toBe(404);
    p.signal('SIGTERM');
    expect(await p.exitCode()).toBe(0);
  });

  it('/readyz answers 503 while the service is stopping', async () => {
    const { woven } = await heldConnection([...METRICS, '--shutdown-timeout', '5']);
    const mport = await metricsPort(woven);
    await until(mport, '/readyz', (r) => r.status === 200);
    woven.signal('SIGTERM');
    const stopping = await until(mport, '/readyz', (r) => r.status === 503);
    expect(stopping.body).toBe('stopping\n');
    expect((await get(mport, '/healthz')).status).toBe(200);
  });

  it('exits 1 naming --metrics when its endpoint cannot listen', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const description = `tcp:${port}:interface=127.0.0.1`;
      const p = new WovenProcess(['--metrics', description, 'echo']);
      expect(await p.exitCode(15_000)).toBe(1);
      expect(p.stderr).toContain(`woven: --metrics ${description}: `);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('under --workers, the primary serves the sum over the workers', async () => {
    const p = new WovenProcess([
      '--log-format',
      'json',
      '--workers',
      '2',
      ...METRICS,
      'echo',
      '--port',
      'tcp:0:interface=127.0.0.1',
    ]);
    const mport = await metricsPort(p);
    const port = await p.listeningPort(20_000);
    await until(mport, '/readyz', (r) => r.status === 200);
    for (let i = 0; i < 6; i++) {
      const client = await connectTo(port);
      client.write('ping');
      await readUntil(client, (b) => b.length >= 4);
    }
    const label = `{port="127.0.0.1:${port}"}`;
    const { body } = await until(
      mport,
      '/metrics',
      (r) => sampleOf(r.body, `woven_connections_total${label}`) === 6,
    );
    expect(sampleOf(body, `woven_connections_open${label}`)).toBe(6);
    expect(sampleOf(body, `woven_bytes_received_total${label}`)).toBe(24);
    p.signal('SIGTERM');
    expect(await p.exitCode(20_000)).toBe(0);
  });
});
