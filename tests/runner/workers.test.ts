import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectTo,
  killAll,
  readUntil,
  runWoven,
  WovenProcess,
  destroyClients,
} from './woven-process.js';

const servers: Server[] = [];
afterEach(async () => {
  destroyClients();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  await killAll();
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Wait until `n` JSON events satisfy `predicate` (bounded). */
async function eventsMatching(
  p: WovenProcess,
  n: number,
  predicate: (e: Record<string, unknown>) => boolean,
) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = p.events().filter(predicate);
    if (found.length >= n) return found;
    if (Date.now() > deadline) throw new Error(`expected ${n} events:\n${p.lines.join('\n')}`);
    await p.waitForLine(/./, 1_000, p.lines.length).catch(() => undefined);
  }
}

const isListening = (e: Record<string, unknown>) => e.log_format === 'listening on {address}';

describe('woven --workers', () => {
  it('runs N processes sharing the port, restarts one that dies, and stops all on SIGTERM', async () => {
    const p = new WovenProcess([
      '--log-format',
      'json',
      '--workers',
      '2',
      'echo',
      '--port',
      'tcp:0:interface=127.0.0.1',
    ]);
    const listening = await eventsMatching(p, 2, isListening);
    expect(new Set(listening.map((e) => e.port)).size).toBe(1);
    const port = listening[0]?.port as number;
    const workers = (
      await eventsMatching(p, 2, (e) => e.log_format === 'worker {pid} started')
    ).map((e) => e.pid as number);
    // Each worker's lines carry its cluster id and pid as fields.
    expect(new Set(listening.map((e) => e.worker_pid))).toEqual(new Set(workers));
    expect(listening.map((e) => e.worker_id).sort()).toEqual([1, 2]);

    const s = await connectTo(port);
    s.write('shared');
    expect((await readUntil(s, (b) => b.length >= 6)).toString()).toBe('shared');
    s.destroy();

    process.kill(workers[0] as number, 'SIGKILL');
    await eventsMatching(p, 1, (e) => e.log_format === 'worker {pid} died ({how}); restarting');
    const after = await eventsMatching(p, 3, isListening);
    expect(after[2]?.port).toBe(port);
    const all = (await eventsMatching(p, 3, (e) => e.log_format === 'worker {pid} started')).map(
      (e) => e.pid as number,
    );

    p.signal('SIGTERM');
    expect(await p.exitCode()).toBe(0);
    for (const pid of all) expect(isAlive(pid)).toBe(false);
  });

  it('shows the worker id and pid on text log lines', async () => {
    const p = new WovenProcess(['--workers', '2', 'echo', '--port', 'tcp:0:interface=127.0.0.1']);
    const line = await p.waitForLine(/listening on/, 15_000);
    const [, id, pid] =
      /\[worker (\d+), pid (\d+)\] listening on 127\.0\.0\.1:\d+$/.exec(line) ?? [];
    expect(['1', '2']).toContain(id);
    expect(p.lines).toContainEqual(expect.stringContaining(`worker ${pid} started`));
    p.signal('SIGTERM');
    expect(await p.exitCode()).toBe(0);
  });

  it('exits 2 for a malformed endpoint description before starting workers', async () => {
    const { code, stderr } = await runWoven(['--workers', '2', 'echo', '--port', 'nope:1']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 when the workers cannot listen', async () => {
    const blocker = createServer();
    servers.push(blocker);
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as { port: number }).port;
    const { code, stderr } = await runWoven(
      ['--workers', '2', 'echo', '--port', `tcp:${taken}:interface=127.0.0.1`],
      { timeout: 15_000 },
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/EADDRINUSE|in use/i);
  });
});
