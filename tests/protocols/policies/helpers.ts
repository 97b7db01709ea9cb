// Shared helpers of the policy tests.
import type { LogEvent } from '../../../lib/index.js';
import { captureLog, turns } from '../../helpers.js';

/** Collect the `woven.policies` events logged while `fn` runs. */
export function policyEvents<T>(fn: () => T): { result: T; events: LogEvent[] } {
  const log = captureLog();
  try {
    const result = fn();
    return { result, events: log.events.filter((e) => e.log_namespace === 'woven.policies') };
  } finally {
    log.stop();
  }
}

/** A TCP peer address on `host`. */
export const peer = (host: string, port = 40000) => ({ type: 'TCP' as const, host, port });

/** Let queued microtasks and immediate callbacks run (in-memory transports deliver in microtasks). */
export const settle = (): Promise<void> => turns(1);
