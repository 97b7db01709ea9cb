// The benchmark servers answer correctly: every kind `benchmarks/net/servers.ts`
// knows, run briefly under the load client that checks every byte it gets
// back, so a benchmark row never measures a server that answers wrongly.
// Real processes and sockets on 127.0.0.1; each server is stopped.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClient, startServer } from '../../benchmarks/net/harness.js';

const serversScript = join(import.meta.dirname, '../../benchmarks/net/servers.ts');

/** The kinds the servers script knows: it lists them when asked for an unknown one. */
function serverKinds(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', serversScript, 'no-such-kind'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('error', reject);
    child.once('exit', () => {
      const list = /one of (.+)/.exec(err)?.[1];
      if (list === undefined) reject(new Error(`no list of kinds in: ${err}`));
      else resolve(list.split(', ').map((k) => k.trim()));
    });
  });
}

/** The load client's mode for a kind: what it sends and checks. */
function modeOf(kind: string): (string | number)[] | null {
  if (kind.endsWith('-ping')) return ['lines', 3, 4, 0.3];
  if (kind.endsWith('-echo') || kind === 'raw-pipe') return ['echo', 2, 0.3];
  if (kind.endsWith('-flood')) return ['drain', 0.3];
  return null; // idle and sink servers: nothing comes back to check
}

const kinds = await serverKinds();

describe('benchmark servers', () => {
  it('know the line, echo and flood kinds the benchmarks run', () => {
    for (const kind of ['raw-ping', 'woven-stream-write-ping', 'raw-pipe', 'woven-yield-flood']) {
      expect(kinds).toContain(kind);
    }
  });

  it('report the major GCs they run (the echo bench shows them per second)', async () => {
    const server = await startServer('raw-pipe');
    try {
      const before = await server.majorGCs();
      server.child.stdin!.write('mem\n'); // runs three full GCs before it answers
      await server.nextLine();
      expect(before).toBeGreaterThanOrEqual(0);
      expect((await server.majorGCs()) - before).toBeGreaterThanOrEqual(3);
    } finally {
      await server.stop();
    }
  });

  it.each(kinds.filter((k) => modeOf(k) !== null))(
    '%s answers what the load client checks',
    async (kind) => {
      const server = await startServer(kind);
      try {
        const [mode, ...rest] = modeOf(kind)!;
        const result = await runClient([mode!, server.port, ...rest]);
        expect(result.ok).toBe(true);
        expect((result.requests ?? result.bytes) as number).toBeGreaterThan(0);
      } finally {
        await server.stop();
      }
    },
    20_000,
  );
});
