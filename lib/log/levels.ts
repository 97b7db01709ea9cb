/** A log level, least to most severe, as twisted.logger's `LogLevel`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'critical';

/**
 * The log levels by name (`LogLevel.info === 'info'`), for code ported from
 * Twisted that writes `LogLevel.warn`.
 */
export const LogLevel = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  critical: 'critical',
} as const satisfies Record<LogLevel, LogLevel>;

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, critical: 4 };

/** Whether `name` is one of the five log levels. */
export function isLogLevel(name: unknown): name is LogLevel {
  return typeof name === 'string' && Object.hasOwn(ORDER, name);
}

/** The severity of a level as a number (debug 0 … critical 4), for comparisons. */
export function levelSeverity(level: LogLevel): number {
  return ORDER[level];
}
