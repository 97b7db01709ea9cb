import cluster, { type Worker } from 'node:cluster';
import { Logger } from '../log/index.js';
import { takePidfile } from './pidfile.js';

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
 * replaced (after `restartDelay`); SIGINT/SIGTERM stop every worker
 * (SIGTERM, then SIGKILL after `shutdownTimeout`) and resolve with 0. A
 * worker that fails before it listens (port in use) stops them all and
 * resolves with 1. Call from the primary process only.
 */
export async function runWorkers(options: RunWorkersOptions): Promise<number> {
  const timeout = options.shutdownTimeout ?? 10;
  const restartDelay = options.restartDelay ?? 1;
  const pidfile = takePidfile(options.pidfile, log);
  if (pidfile === false) return 1;
  let stopping = false;
  let failedStart: (() => void) | undefined;
  const startFailed = new Promise<'failed'>((resolve) => {
    failedStart = () => resolve('failed');
  });
  const live = new Set<Worker>();
  const fork = () => {
    const worker = cluster.fork();
    let listening = false;
    live.add(worker);
    log.info('worker {pid} started', { pid: worker.process.pid });
    worker.once('listening', () => {
      listening = true;
    });
    worker.on('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) return;
      if (!listening && code !== 0 && signal === null) {
        log.error('worker {pid} failed to start (exit code {code}); giving up', {
          pid: worker.process.pid,
          code,
        });
        failedStart?.();
        return;
      }
      log.warn('worker {pid} died ({how}); restarting', {
        pid: worker.process.pid,
        how: signal ?? `exit code ${code}`,
      });
      setTimeout(() => stopping || fork(), restartDelay * 1000);
    });
  };
  for (let i = 0; i < options.workers; i++) fork();
  let signalled: (signal: NodeJS.Signals) => void = () => {};
  const onSignal = new Promise<NodeJS.Signals>((resolve) => {
    signalled = resolve;
  });
  // Registered until the workers are gone: a second signal must not kill the primary early.
  process.on('SIGINT', signalled);
  process.on('SIGTERM', signalled);
  const outcome = await Promise.race([onSignal, startFailed]);
  stopping = true;
  if (outcome === 'failed') log.info('stopping the other workers');
  else log.info('received {signal}, stopping workers', { signal: outcome });
  const exited = [...live].map(
    (w) => new Promise<void>((resolve) => w.once('exit', () => resolve())),
  );
  for (const w of live) w.process.kill('SIGTERM');
  const killer = setTimeout(() => {
    for (const w of live) w.process.kill('SIGKILL');
  }, timeout * 1000);
  await Promise.all(exited);
  clearTimeout(killer);
  process.off('SIGINT', signalled);
  process.off('SIGTERM', signalled);
  pidfile?.release();
  if (outcome === 'failed') return 1;
  log.info('stopped');
  return 0;
}

/** The fields a worker adds to each of its log events: its cluster id and process id. */
export interface WorkerLogFields {
  worker_id: number;
  worker_pid: number;
}

/** In a cluster worker, the fields that tell its log lines apart; `undefined` in the primary. */
export function workerLogFields(): WorkerLogFields | undefined {
  const worker = cluster.worker;
  return worker ? { worker_id: worker.id, worker_pid: process.pid } : undefined;
}

/** Whether this process is a cluster worker started by {@link runWorkers}. */
export function isWorker(): boolean {
  return cluster.isWorker;
}

/**
 * In a worker, close the channel to the primary so the process can exit
 * once its connections are done (the channel alone would keep it alive).
 */
export function leaveCluster(): void {
  if (cluster.isWorker && cluster.worker?.isConnected()) cluster.worker.disconnect();
}
