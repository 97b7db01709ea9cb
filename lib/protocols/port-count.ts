// Tests: tests/protocols/factory.test.ts, tests/protocols/datagram.test.ts
import type { Logger } from '../log/index.js';

/** Something used by several ports at once: a factory or a datagram protocol. */
export interface PortCounted {
  numPorts: number;
  noisy: boolean;
}

/**
 * Count one more port using `target`; on the first, log
 * `Starting <kind> {<kind>}` (when noisy) and call `start`.
 */
export function countPortStart(
  target: PortCounted,
  kind: 'factory' | 'protocol',
  log: Logger,
  start: () => void,
): void {
  if (target.numPorts === 0) {
    if (target.noisy) log.info(`Starting ${kind} {${kind}}`, { [kind]: target });
    start();
  }
  target.numPorts += 1;
}

/**
 * Count one port fewer (never below zero); on the last, log
 * `Stopping <kind> {<kind>}` (when noisy) and call `stop`.
 */
export function countPortStop(
  target: PortCounted,
  kind: 'factory' | 'protocol',
  log: Logger,
  stop: () => void,
): void {
  if (target.numPorts === 0) return;
  target.numPorts -= 1;
  if (target.numPorts === 0) {
    if (target.noisy) log.info(`Stopping ${kind} {${kind}}`, { [kind]: target });
    stop();
  }
}
