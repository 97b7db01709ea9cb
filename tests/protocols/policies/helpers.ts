// Shared helpers of the policy tests.
import { globalLogPublisher, type LogEvent } from '../../../lib/index.js';

/** Collect the `woven.policies` events logged while `fn` runs. */
export function policyEvents<T>(fn: () => T): { result: T; events: LogEvent[] } {
  const events: LogEvent[] = [];
  const observer = (e: LogEvent) => {
    if (e.log_namespace === 'woven.policies') events.push(e);
  };
  globalLogPublisher.addObserver(observer);
  try {
    return { result: fn(), events };
  } finally {
    globalLogPublisher.removeObserver(observer);
  }
}

/** A TCP peer address on `host`. */
export const peer = (host: string, port = 40000) => ({ type: 'TCP' as const, host, port });

/** Let queued microtasks and immediate callbacks run (in-memory transports deliver in microtasks). */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
