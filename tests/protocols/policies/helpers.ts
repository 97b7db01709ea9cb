// Shared helpers of the policy tests.
import type { LogEvent } from '../../../lib/index.js';
import { loggedWhile, turns } from '../../helpers.js';

/** Collect the `woven.policies` events logged while `fn` runs. */
export function policyEvents<T>(fn: () => T): { result: T; events: LogEvent[] } {
  const [events, result] = loggedWhile(fn);
  return { result, events: events.filter((e) => e.log_namespace === 'woven.policies') };
}

/** A TCP peer address on `host`. */
export const peer = (host: string, port = 40000) => ({ type: 'TCP' as const, host, port });

/** Let queued microtasks and immediate callbacks run (in-memory transports deliver in microtasks). */
export const settle = (): Promise<void> => turns(1);
