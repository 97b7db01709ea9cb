import { CallableObject } from './callable.js';
import type { LogEvent, LogObserver } from './event.js';
import { type LogLevel, levelSeverity } from './levels.js';

/** What a filter predicate says of an event, as twisted.logger's `PredicateResult`. */
export type PredicateResult = 'yes' | 'no' | 'maybe';

/** The predicate results by name (`PredicateResult.yes === 'yes'`). */
export const PredicateResult = { yes: 'yes', no: 'no', maybe: 'maybe' } as const;

/**
 * A filter predicate: a function of an event (such as a
 * {@link LogLevelFilterPredicate}), or an object with `evaluate(event)`. `'yes'` lets the event through at once, `'no'` drops
 * it, `'maybe'` asks the next predicate.
 */
export type LogFilterPredicate =
  | ((event: LogEvent) => PredicateResult)
  | {
      /** Judge `event`: `'yes'`, `'no'` or `'maybe'`. */
      evaluate(event: LogEvent): PredicateResult;
    };

/**
 * An observer that passes an event on to `observer` unless a predicate says
 * `'no'` (the first `'yes'` or `'no'` decides; all `'maybe'` passes it).
 * Like Twisted's, the instance is itself an observer (a function of an event).
 *
 * @example
 * ```ts
 * const levels = new LogLevelFilterPredicate('info');
 * levels.setLogLevelForNamespace('woven.transports', 'debug');
 * globalLogPublisher.addObserver(new FilteringLogObserver(textFileLogObserver(process.stderr), [levels]));
 * ```
 */
export class FilteringLogObserver extends CallableObject<[LogEvent], void> {
  readonly #observer: LogObserver;
  readonly #predicates: LogFilterPredicate[];
  readonly #onDrop: LogObserver | undefined;

  constructor(
    observer: LogObserver,
    predicates: Iterable<LogFilterPredicate>,
    negativeObserver?: LogObserver,
  ) {
    super();
    this.#observer = observer;
    this.#predicates = [...predicates];
    this.#onDrop = negativeObserver;
  }

  /** This filter as an observer function (the instance itself). */
  get observer(): LogObserver {
    return this;
  }

  /** Filter one event (what calling the instance does). */
  invoke(event: LogEvent): void {
    if (this.#shouldPass(event)) this.#observer(event);
    else this.#onDrop?.(event);
  }

  #shouldPass(event: LogEvent): boolean {
    for (const predicate of this.#predicates) {
      const result = typeof predicate === 'function' ? predicate(event) : predicate.evaluate(event);
      if (result === 'yes') return true;
      if (result === 'no') return false;
    }
    return true;
  }
}

/**
 * A predicate that drops events below a minimum level, which can be set per
 * namespace; a namespace's level covers its dot-separated children
 * (`'woven'` covers `'woven.transports.tcp'`) unless they have their own.
 */
export class LogLevelFilterPredicate extends CallableObject<[LogEvent], PredicateResult> {
  /** The level for namespaces with no level of their own. */
  defaultLogLevel: LogLevel;
  readonly #levels = new Map<string, LogLevel>();

  constructor(defaultLogLevel: LogLevel = 'info') {
    super();
    this.defaultLogLevel = defaultLogLevel;
  }

  /** The minimum level that applies to `namespace`. */
  logLevelForNamespace(namespace: string | undefined): LogLevel {
    let ns = namespace ?? '';
    for (;;) {
      const level = this.#levels.get(ns);
      if (level) return level;
      const dot = ns.lastIndexOf('.');
      if (dot < 0) return this.defaultLogLevel;
      ns = ns.slice(0, dot);
    }
  }

  /** Set the minimum level for `namespace` and its children. */
  setLogLevelForNamespace(namespace: string, level: LogLevel): void {
    this.#levels.set(namespace, level);
  }

  /** Forget every namespace's level. */
  clearLogLevels(): void {
    this.#levels.clear();
  }

  /** `'no'` for an event below its namespace's level, otherwise `'maybe'` (what calling the instance does). */
  invoke(event: LogEvent): PredicateResult {
    const min = this.logLevelForNamespace(event.log_namespace);
    return levelSeverity(event.log_level) < levelSeverity(min) ? 'no' : 'maybe';
  }
}
