import type { Failure } from '../failure/index.js';
import type { LogLevel } from './levels.js';

/**
 * A log event: a plain object holding the caller's fields plus the `log_*`
 * keys woven adds. `log_format` is the message template (`{field}` refers to
 * another key of the event).
 */
export interface LogEvent {
  [field: string]: unknown;
  log_namespace: string;
  log_level: LogLevel;
  log_format: string;
  /** Seconds since the epoch, as a float. */
  log_time: number;
  /** Present on events logged with `Logger.failure`. */
  log_failure?: Failure;
}

/** Something that receives log events: a plain function. */
export type LogObserver = (event: LogEvent) => void;

/**
 * Render an event's `log_format`, replacing each `{name}` (or dotted
 * `{a.b}`) with that field of the event. `{{` and `}}` stand for literal
 * braces. A missing field renders as `MISSING`; the traceback of a failure is
 * not included (see {@link textFileLogObserver} for that).
 *
 * @example
 * ```ts
 * formatEvent({ ...event, log_format: 'listening on {host}:{port}', host: '::', port: 8000 });
 * // 'listening on :::8000'
 * ```
 */
export function formatEvent(event: Partial<LogEvent>): string {
  const format = event.log_format;
  if (typeof format !== 'string') return '';
  return format.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, key: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const value = lookup(event, key ?? '');
    return value === MISSING ? 'MISSING' : renderValue(value);
  });
}

const MISSING = Symbol('missing');

function lookup(event: object, key: string): unknown {
  if (Object.hasOwn(event, key)) return (event as Record<string, unknown>)[key];
  let current: unknown = event;
  for (const part of key.split('.')) {
    if (current === null || current === undefined || !Object.hasOwn(Object(current), part)) {
      return MISSING;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (typeof value === 'object' && value !== null && value.toString === Object.prototype.toString) {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}
