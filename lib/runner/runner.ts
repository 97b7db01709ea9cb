import { Logger } from '../log/index.js';
import { ServerStoppingError } from '../protocols/index.js';
import { type Reactor, reactor as defaultReactor } from '../time/index.js';
import { takePidfile } from './pidfile.js';
import type { IService } from '../app/index.js';
import { describe } from './describe.js';
import { type StopOutcome, stopGracefully } from './shutdown.js';

const log = new Logger('woven.app.runner');

/** How {@link runService} runs a service. */
export interface RunServiceOptions {
  /** Seconds a graceful stop may take, open connections included (default 10). */
  shutdownTimeout?: number;
  /** A pidfile to hold while running. */
  pidfile?: string;
  /** The reactor to run (default: the global one). */
  reactor?: Reactor;
  /** The signals that stop the service gracefully (default SIGINT and SIGTERM). */
  signals?: readonly NodeJS.Signals[];
  /** Called to end the process on a second signal (default `process.exit`). */
  exit?: (code: number) => void;
  /** Called once the service has started (a worker tells its primary it is ready). */
  onStarted?: () => void;
}

/** What stopped the reactor: a signal (named), or something else (a failed start, `reactor.stop()`). */
interface StopRequest {
  signal?: NodeJS.Signals;
}

/** How the start went: started, failed (logged), or still pending when the stop began. */
type StartOutcome = 'started' | 'failed' | 'unfinished';

/** Start `service`, racing the stop: a start still pending when the stop begins is `'unfinished'`. */
async function startUnlessStopped(service: IService, stopping: Promise<unknown>) {
  const start = (async (): Promise<StartOutcome> => {
    try {
      service.privilegedStartService?.();
      await service.startService();
      return 'started';
    } catch (error) {
      log.error('failed to start: {reason}', { reason: describe(error) });
      return 'failed';
    }
  })();
  return Promise.race([start, stopping.then(() => 'unfinished' as const)]);
}

/** The exit status for how the start and the stop went. */
function exitStatus(start: StartOutcome, stop: StopOutcome | undefined): number {
  return start === 'started' && (stop === undefined || stop === 'clean') ? 0 : 1;
}

/**
 * Run `service` in the foreground, as twistd does: take the pidfile, run the
 * reactor, start the service, and on SIGINT/SIGTERM stop gracefully — the
 * service stops (its listening ports close), then every connection its
 * servers accepted is told the server is stopping (classic protocols get
 * `loseConnection()`, stream protocols see `conn.signal` abort with a
 * {@link ServerStoppingError} and their iteration end); whatever is still
 * open `shutdownTimeout` seconds after the signal is aborted. Resolves with
 * the exit code: 0 after a graceful stop in time, 1 when the service failed
 * to start, its start had not finished when the stop came, its stop failed,
 * or the timeout hit. A second signal ends the process at once (exit code 1).
 *
 * @example
 * ```ts
 * process.exitCode = await runService(myService, { pidfile: '/tmp/my.pid' });
 * ```
 */
export async function runService(
  service: IService,
  options: RunServiceOptions = {},
): Promise<number> {
  const reactor = options.reactor ?? defaultReactor;
  const timeout = options.shutdownTimeout ?? 10;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const pidfile = takePidfile(options.pidfile, log);
  if (pidfile === false) return 1;
  let request: StopRequest | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (request !== undefined) {
      log.warn('received {signal} again: exiting now', { signal });
      pidfile?.release();
      exit(1);
      return;
    }
    request = { signal };
    log.info('received {signal}, shutting down', { signal });
    stopReactor(reactor);
  };
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  for (const s of signals) process.on(s, onSignal);
  let stop: StopOutcome | undefined;
  let beginStop: () => void = () => {};
  const stopping = new Promise<void>((resolve) => {
    beginStop = resolve;
  });
  reactor.addSystemEventTrigger('before', 'shutdown', async () => {
    beginStop();
    const why = request?.signal ? ` (received ${request.signal})` : '';
    stop = await stopGracefully(service, {
      timeout,
      reason: new ServerStoppingError(`The server is stopping${why}.`),
    });
  });
  const finished = reactor.run();
  const start = await startUnlessStopped(service, stopping);
  if (start === 'started') options.onStarted?.();
  if (start === 'failed') stopReactor(reactor);
  if (start === 'unfinished') log.error('the service start never finished; stopped');
  await finished;
  for (const s of signals) process.off(s, onSignal);
  pidfile?.release();
  const code = exitStatus(start, stop);
  if (code === 0) log.info('stopped');
  return code;
}

function stopReactor(reactor: Reactor): void {
  try {
    reactor.stop();
  } catch {
    // Already stopping.
  }
}
