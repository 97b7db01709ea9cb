import cluster, { type Worker } from 'node:cluster';
import { Logger } from '../log/index.js';
import { PidFile } from './pidfile.js';

const log = new Logger('woven.app.workers');

/** How {@link runWorkers} supervises its worker processes. */
export interface RunWorkersOptions {
  /** How many worker processes to keep running. */
  workers: number;
  /** Seconds workers get to stop before they are killed (default 10). */
  shutdownTimeout?: number;
  /** A pidfile for the primary process. */
  pidfile?: string;
  /** Seconds to wait before replacing a worker that died (default 1). */
  restartDelay?: number;
}

/**
 * Run the current command line in `workers` processes with node:cluster
 * (which shares listening ports between them). A worker that dies is
 * replaced; SIGINT/SIGTERM stop every worker (SIGTERM, then SIGKILL after
 * `shutdownTimeout`) and resolve with 0. Call from the primary process only.
 */
export async function runWorkers(options: RunWorkersOptions): Promise<number> {
  const timeout = options.shutdownTimeout ?? 10;
  const restartDelay = options.restartDelay ?? 1;
  const pidfile = options.pidfile === undefined ? undefined : new PidFile(options.pidfile);
  try {
    pidfile?.acquire();
  } catch (error) {
    log.error('cannot start: {reason}', { reason: (error as Error).message });
    return 1;
  }
  let stopping = false;
  const live = new Set<Worker>();
  const fork = () => {
    const worker = cluster.fork();
    live.add(worker);
    worker.on('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) return;
      log.warn('worker {pid} died ({how}); restarting', {
        pid: worker.process.pid,
        how: signal ?? `exit code ${code}`,
      });
      setTimeout(() => stopping || fork(), restartDelay * 1000);
    });
  };
  for (let i = 0; i < options.workers; i++) fork();
  log.info('started {workers} workers', { workers: options.workers });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopping = true;
  log.info('received {signal}, stopping workers', { signal });
  const exited = [...live].map(
    (w) => new Promise<void>((resolve) => w.once('exit', () => resolve())),
  );
  for (const w of live) w.process.kill('SIGTERM');
  const killer = setTimeout(() => {
    for (const w of live) w.process.kill('SIGKILL');
  }, timeout * 1000);
  await Promise.all(exited);
  clearTimeout(killer);
  pidfile?.release();
  log.info('stopped');
  return 0;
}

/** Whether this process is a cluster worker started by {@link runWorkers}. */
export function isWorker(): boolean {
  return cluster.isWorker;
}
