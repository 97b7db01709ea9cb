// Tests: tests/endpoints/signals.test.ts
import { abortable } from '../protocols/index.js';
import type { IListeningPort } from '../transports/index.js';
import type { ListenOptions } from './interfaces.js';

/**
 * Start listening with `start`, unless `options.signal` aborts first: then
 * reject with an `AbortError` and stop the port if it comes up anyway.
 */
export function listenUnlessAborted(
  options: ListenOptions | undefined,
  start: () => PromiseLike<IListeningPort>,
): Promise<IListeningPort> {
  return abortable(options?.signal, start, (port) => port.stopListening());
}
