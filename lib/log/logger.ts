import { Failure } from '../failure/index.js';
import type { LogEvent, LogObserver } from './event.js';
import type { LogLevel } from './levels.js';
import { formatTextLine } from './observers.js';
import { publishGlobally } from './publisher.js';

const stderrFallback: LogObserver = (event) => {
  process.stderr.write(`${formatTextLine(event)}\n`);
};

/**
 * Emits structured events, as twisted.logger's `Logger`. Each event is a plain
 * object: the fields you pass, plus `log_namespace`, `log_level`,
 * `log_format` and `log_time`. By default events go to
 * {@link globalLogPublisher}; pass `observer` to send them elsewhere.
 *
 * @example
 * ```ts
 * const log = new Logger('myapp.server');
 * log.info('listening on {host}:{port}', { host: '127.0.0.1', port: 8000 });
 * log.failure('request failed', error, { path: '/x' });
 * ```
 */
export class Logger {
  /** The namespace events carry as `log_namespace`. */
  readonly namespace: string;
  readonly #observer: LogObserver | undefined;

  constructor(namespace = 'woven', observer?: LogObserver) {
    this.namespace = namespace;
    this.#observer = observer;
  }

  /** Emit an event at `level`; `fields` are copied into it. */
  emit(level: LogLevel, format: string, fields?: Record<string, unknown>): void {
    const event: LogEvent = {
      ...fields,
      log_namespace: this.namespace,
      log_level: level,
      log_format: format,
      log_time: Date.now() / 1000,
    };
    if (this.#observer) this.#observer(event);
    else publishGlobally(event, stderrFallback);
  }

  /** Emit at `debug`. */
  debug(format: string, fields?: Record<string, unknown>): void {
    this.emit('debug', format, fields);
  }

  /** Emit at `info`. */
  info(format: string, fields?: Record<string, unknown>): void {
    this.emit('info', format, fields);
  }

  /** Emit at `warn`. */
  warn(format: string, fields?: Record<string, unknown>): void {
    this.emit('warn', format, fields);
  }

  /** Emit at `error`. */
  error(format: string, fields?: Record<string, unknown>): void {
    this.emit('error', format, fields);
  }

  /** Emit at `critical`. */
  critical(format: string, fields?: Record<string, unknown>): void {
    this.emit('critical', format, fields);
  }

  /**
   * Emit an event carrying `log_failure` (a {@link Failure} made from
   * `failureOrError` unless it already is one), at `critical` by default as
   * in Twisted, or at `fields.log_level` when given.
   */
  failure(format: string, failureOrError: unknown, fields?: Record<string, unknown>): void {
    const failure =
      failureOrError instanceof Failure ? failureOrError : new Failure(failureOrError);
    const { log_level, ...rest } = fields ?? {};
    this.emit((log_level as LogLevel | undefined) ?? 'critical', format, {
      ...rest,
      log_failure: failure,
    });
  }
}
