// Tests: tests/runner/reload.test.ts
import cluster from 'node:cluster';
import { Logger } from '../log/index.js';
import type { LogFile } from './log-file.js';

const log = new Logger('woven.app.runner');

/** The signal that reopens the log file, as logrotate's `postrotate` sends it (twistd's convention). */
const REOPEN_SIGNAL = 'SIGUSR1';

/**
 * While running with a `--logfile`, reopen it on SIGUSR1 (after logrotate
 * renamed it, new lines go to a new file at the original path); a cluster
 * primary passes the signal on to its workers, which write the same file.
 * Without a file, SIGUSR1 keeps Node's meaning. Returns a function that
 * removes the handler.
 */
export function reopenOnSignal(file: LogFile | undefined): () => void {
  if (file === undefined) return () => {};
  const reopen = () => {
    if (file.reopen()) log.info('reopened the log file {path}', { path: file.path });
    if (cluster.isPrimary) {
      for (const worker of Object.values(cluster.workers ?? {}))
        worker?.process.kill(REOPEN_SIGNAL);
    }
  };
  process.on(REOPEN_SIGNAL, reopen);
  return () => process.off(REOPEN_SIGNAL, reopen);
}
