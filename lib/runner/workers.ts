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
  /** Called once every worker of the first generation has started its service. */
  onStarted?: () => void;
  /** Called when the stop begins (a signal, or a worker that failed to start). */
  onStopping?: () => void;
}

/** The message a worker sends its primary once its service has started. */
const STARTED = 'woven:started';

/** One forked worker and whether it started: `ready` resolves true once started, false if it exited first. */
interface Forked {
  worker: Worker;
  ready: Promise<boolean>;
}

/** Wait for `worker` to exit, killing it with SIGKILL after `timeout` seconds. */
function exitWithin(worker: Worker, timeout: number): Promise<void> {
  if (worker.process.exitCode !== null || worker.process.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const killer = setTimeout(() => worker.process.kill('SIGKILL'), timeout * 1000);
    worker.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
  });
}

/**
 * The primary's workers: forked, replaced when they die, replaced one at a
 * time on a reload, and stopped together.
 */
class WorkerPool {
  readonly #options: Required<Omit<RunWorkersOptions, 'pidfile' | 'onStarted' | 'onStopping'>>;
  readonly live = new Set<Worker>();
  /** Workers being replaced or stopped on purpose: their exit is not a death. */
  readonly #retiring = new Set<Worker>();
  #stopping = false;
  #reloading: Promise<void> | undefined;
  /** Called when a worker of the first generation fails before it listens. */
  readonly #onFailedStart: () => void;

  constructor(
    options: Required<Omit<RunWorkersOptions, 'pidfile' | 'onStarted' | 'onStopping'>>,
    onFailedStart: () => void,
  ) {
    this.#options = options;
    this.#onFailedStart = onFailedStart;
  }

  /** Fork one worker; `replacing` ones failing to start do not stop the pool (a reload gives up instead). */
  fork(replacing = false): Forked {
    const worker = cluster.fork();
    let listening = false;
    let started: (ok: boolean) => void = () => {};
    const ready = new Promise<boolean>((resolve) => {
      started = resolve;
    });
    this.live.add(worker);
    log.info('worker {pid} started', { pid: worker.process.pid });
    worker.once('listening', () => {
      listening = true;
    });
    worker.on('message', (message: unknown) => {
      if (message === STARTED) started(true);
    });
    worker.on('exit', (code, signal) => {
      started(false);
      this.live.delete(worker);
      if (this.#stopping || this.#retiring.delete(worker)) return;
      const pid = worker.process.pid;
      if (!listening && code !== 0 && signal === null) {
        if (replacing) return; // the reload reports it
        log.error('worker {pid} failed to start (exit code {code}); giving up', { pid, code });
        this.#onFailedStart();
        return;
      }
      log.warn('worker {pid} died ({how}); restarting', {
        pid,
        how: signal ?? `exit code ${code}`,
      });
      setTimeout(() => this.#stopping || this.fork(), this.#options.restartDelay * 1000);
    });
    return { worker, ready };
  }

  /** Stop `worker` gracefully (SIGTERM, SIGKILL after the shutdown timeout) without replacing it. */
  retire(worker: Worker): Promise<void> {
    this.#retiring.add(worker);
    const exited = exitWithin(worker, this.#options.shutdownTimeout);
    worker.process.kill('SIGTERM');
    return exited;
  }

  /**
   * Replace every worker, one at a time: fork a new one (loading the code
   * anew), wait until its service has started, then stop an old one
   * gracefully. The shared listening sockets stay open in the primary
   * throughout, so no connection is refused. If a new worker fails to
   * start, the reload stops there and the remaining old workers stay.
   */
  reload(): Promise<void> {
    if (this.#reloading) {
      log.warn('a reload is already in progress; ignoring this one');
      return this.#reloading;
    }
    this.#reloading = this.#replaceAll().finally(() => {
      this.#reloading = undefined;
    });
    return this.#reloading;
  }

  async #replaceAll(): Promise<void> {
    const old = [...this.live];
    log.info('reloading: replacing {count} workers one at a time', { count: old.length });
    for (const worker of old) {
      if (this.#stopping) return;
      const fresh = this.fork(true);
      if (!(await fresh.ready)) {
        log.error('reload stopped: new worker {pid} failed to start; keeping the old ones', {
          pid: fresh.worker.process.pid,
        });
        return;
      }
      if (this.#stopping) return;
      await this.retire(worker);
    }
    log.info('reload finished');
  }

  /** Stop every worker (SIGTERM, then SIGKILL after the shutdown timeout); resolves once all exited. */
  async stopAll(): Promise<void> {
    this.#stopping = true;
    await Promise.all([...this.live].map((w) => this.retire(w)));
  }
}

/**
 * Run the current command line in `workers` processes with node:cluster
 * (which shares listening ports between them). A worker that dies is
 * replaced (after `restartDelay`); SIGHUP replaces them all, one at a
 * time (see {@link WorkerPool.reload}); SIGINT/SIGTERM stop every worker
 * (SIGTERM, then SIGKILL after `shutdownTimeout`) and resolve with 0. A
 * worker that fails before it listens (port in use) stops them all and
 * resolves with 1. Call from the primary process only.
 */
export async function runWorkers(options: RunWorkersOptions): Promise<number> {
  const pidfile = takePidfile(options.pidfile, log);
  if (pidfile === false) return 1;
  let failedStart: () => void = () => {};
  const startFailed = new Promise<'failed'>((resolve) => {
    failedStart = () => resolve('failed');
  });
  const pool = new WorkerPool(
    {
      workers: options.workers,
      shutdownTimeout: options.shutdownTimeout ?? 10,
      restartDelay: options.restartDelay ?? 1,
    },
    failedStart,
  );
  const first = Array.from({ length: options.workers }, () => pool.fork().ready);
  void Promise.all(first).then((started) => started.every(Boolean) && options.onStarted?.());
  let signalled: (signal: NodeJS.Signals) => void = () => {};
  const onSignal = new Promise<NodeJS.Signals>((resolve) => {
    signalled = resolve;
  });
  const onReload = () => {
    log.info('received SIGHUP');
    void pool.reload();
  };
  // Registered until the workers are gone: a second signal must not kill the primary early.
  process.on('SIGINT', signalled);
  process.on('SIGTERM', signalled);
  process.on('SIGHUP', onReload);
  const outcome = await Promise.race([onSignal, startFailed]);
  options.onStopping?.();
  if (outcome === 'failed') log.info('stopping the other workers');
  else log.info('received {signal}, stopping workers', { signal: outcome });
  await pool.stopAll();
  process.off('SIGINT', signalled);
  process.off('SIGTERM', signalled);
  process.off('SIGHUP', onReload);
  pidfile?.release();
  if (outcome === 'failed') return 1;
  log.info('stopped');
  return 0;
}

/** In a worker, tell the primary that the service has started (a reload waits for it). */
export function announceStarted(): void {
  if (cluster.isWorker) process.send?.(STARTED);
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
