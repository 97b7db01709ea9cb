// Tests: tests/runner/cli.test.ts
import {
  connectionHolders,
  type IService,
  type OpenConnections,
  StreamServerEndpointService,
} from '../app/index.js';
import { Logger } from '../log/index.js';
import { ServerStoppingError } from '../protocols/index.js';
import { describe } from './describe.js';

const log = new Logger('woven.app.runner');

/** How {@link stopGracefully} went: whether everything closed in time and without error. */
export type StopOutcome = 'clean' | 'failed' | 'late';

function openCount(holders: readonly OpenConnections[]): number {
  return holders.reduce((sum, h) => sum + h.connectionCount, 0);
}

/** Stop the service (logging a failure), then close its connections; `true` when all went well. */
async function stopThenClose(service: IService, reason: Error): Promise<boolean> {
  let ok = true;
  try {
    if (service.running !== false) await service.stopService();
  } catch (error) {
    log.error('stopping the service failed: {reason}', { reason: describe(error) });
    ok = false;
  }
  const holders = connectionHolders(service);
  if (!ok) await stopLeftListening(holders);
  const open = openCount(holders);
  if (open > 0) log.info('closing {count} open connections', { count: open });
  await Promise.all(holders.map((h) => h.closeConnections(reason)));
  return ok;
}

/**
 * After a failed stop (a service that rejected before stopping its
 * children, say): stop every listening service it left running, so that no
 * port stays open while the connections close.
 */
async function stopLeftListening(holders: readonly OpenConnections[]): Promise<void> {
  const left = holders.filter(
    (h): h is StreamServerEndpointService => h instanceof StreamServerEndpointService && h.running,
  );
  await Promise.allSettled(left.map((s) => s.stopService()));
}

/**
 * The runner's graceful stop, as DESIGN's "Stopping": stop the service
 * (listening ports close), then tell every connection its servers accepted
 * that the server is stopping (`reason`), and wait for them to close —
 * at most `timeout` seconds; what is still open then is aborted.
 */
export async function stopGracefully(
  service: IService,
  { timeout, reason = new ServerStoppingError() }: { timeout: number; reason?: Error },
): Promise<StopOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeout * 1000);
  });
  const done = stopThenClose(service, reason).then((ok) => (ok ? 'clean' : 'failed'));
  const outcome = await Promise.race([done, late]);
  clearTimeout(timer);
  if (outcome !== 'late') return outcome;
  const holders = connectionHolders(service);
  log.warn('shutdown did not finish within {timeout} s: aborting {count} open connections', {
    timeout,
    count: openCount(holders),
  });
  for (const h of holders) h.abortConnections();
  return 'late';
}
