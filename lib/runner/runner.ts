import { Logger } from '../log/index.js';
import { type Reactor, reactor as defaultReactor } from '../time/index.js';
import { takePidfile } from './pidfile.js';
import type { IService } from '../app/index.js';

const log = new Logger('woven.app.runner');

/** How {@link runService} runs a service. */
export interface RunServiceOptions {
  /** Seconds a graceful stop may take, in-flight connections included (default 10). */
  shutdownTimeout?: number;
  /** A pidfile to hold while running. */
  pidfile?: string;
  /** The reactor to run (default: the global one). */
  reactor?: Reactor;
  /** The signals that stop the service gracefully (default SIGINT and SIGTERM). */
  signals?: readonly NodeJS.Signals[];
  /** Called to end the process when the shutdown timeout expires (default `process.exit`). */
  exit?: (code: number) => void;
}

/**
 * Run `service` in the foreground, as twistd does: take the pidfile, run the
 * reactor, start the service, and on SIGINT/SIGTERM stop gracefully —
 * listening ports close and services stop (a 'before shutdown' trigger),
 * then the remaining shutdown triggers run. Resolves with the exit code: 0
 * after a graceful stop, 1 when the service failed to start. Connections
 * still open after the stop get until `shutdownTimeout` (from the signal)
 * to finish; then the process is ended. A second signal ends it at once
 * (exit code 1), also after this function has resolved.
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
  let shutDown = false;
  let signalled = false;
  const forceExit = (signal: NodeJS.Signals) => {
    log.warn('received {signal} again: exiting now', { signal });
    pidfile?.release();
    exit(1);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      forceExit(signal);
      return;
    }
    signalled = true;
    log.info('received {signal}, shutting down', { signal });
    setTimeout(() => {
      log.warn('shutdown did not finish within {timeout} s: exiting', { timeout });
      pidfile?.release();
      exit(shutDown ? 0 : 1);
    }, timeout * 1000).unref();
    stopReactor(reactor);
  };
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  for (const s of signals) process.on(s, onSignal);
  reactor.addSystemEventTrigger('before', 'shutdown', () =>
    service.running !== false ? service.stopService?.() : undefined,
  );
  const finished = reactor.run();
  let code = 0;
  try {
    service.privilegedStartService?.();
    await service.startService();
  } catch (error) {
    log.error('failed to start: {reason}', { reason: describe(error) });
    code = 1;
    stopReactor(reactor);
  }
  await finished;
  shutDown = true;
  // Connections may linger until the timeout; a further signal ends the process at once.
  for (const s of signals) {
    process.off(s, onSignal);
    process.once(s, forceExit);
  }
  pidfile?.release();
  if (code === 0) log.info('stopped');
  return code;
}

/** A one-line description of an error: `Name: message`. */
export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function stopReactor(reactor: Reactor): void {
  try {
    reactor.stop();
  } catch {
    // Already stopping.
  }
}
