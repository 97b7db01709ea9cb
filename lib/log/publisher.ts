import type { LogEvent, LogObserver } from './event.js';
import { levelSeverity } from './levels.js';

/**
 * Fans events out to observers, as twisted.logger's `LogPublisher`. An
 * observer that throws is removed from this delivery only: the error is
 * reported to the other observers and the publisher goes on.
 */
export class LogPublisher {
  #observers: LogObserver[] = [];

  /** Start sending every event to `observer`. Adding one twice has no effect. */
  addObserver(observer: LogObserver): void {
    if (!this.#observers.includes(observer)) this.#observers.push(observer);
  }

  /** Stop sending events to `observer` (no error if it was not added). */
  removeObserver(observer: LogObserver): void {
    this.#observers = this.#observers.filter((o) => o !== observer);
  }

  /** The observers, in the order they were added. */
  get observers(): readonly LogObserver[] {
    return this.#observers;
  }

  /** Deliver `event` to every observer. */
  publish(event: LogEvent): void {
    for (const observer of this.#observers) {
      try {
        observer(event);
      } catch (error) {
        this.#reportBrokenObserver(observer, error, event);
      }
    }
  }

  #reportBrokenObserver(broken: LogObserver, error: unknown, event: LogEvent): void {
    const report: LogEvent = {
      log_namespace: 'woven.log',
      log_level: 'error',
      log_format: 'Temporarily disabling observer {observer} due to exception: {error}',
      log_time: event.log_time,
      observer: broken.name || 'anonymous',
      error,
    };
    for (const observer of this.#observers) {
      if (observer === broken) continue;
      try {
        observer(report);
      } catch {
        // A second broken observer must not recurse.
      }
    }
  }
}

/**
 * The process-wide publisher every {@link Logger} emits to by default. With no
 * observer added, events at `warn` and above are written to stderr so that
 * nothing important is lost before logging is set up.
 *
 * @example
 * ```ts
 * globalLogPublisher.addObserver(textFileLogObserver(process.stdout));
 * ```
 */
export const globalLogPublisher = new LogPublisher();

/** Write warnings and worse to stderr while no observer is registered. */
export function publishGlobally(event: LogEvent, fallback: LogObserver): void {
  if (globalLogPublisher.observers.length > 0) {
    globalLogPublisher.publish(event);
  } else if (levelSeverity(event.log_level) >= levelSeverity('warn')) {
    fallback(event);
  }
}
