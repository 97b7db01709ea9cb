// The public surface of woven: re-exports only.
export { type ErrorType, Failure, WovenError } from './failure/index.js';
export {
  eventAsJSON,
  FilteringLogObserver,
  formatEvent,
  globalLogPublisher,
  type LogEvent,
  type LogFilterPredicate,
  Logger,
  LogLevel,
  LogLevelFilterPredicate,
  type LogObserver,
  LogPublisher,
  PredicateResult,
  jsonFileLogObserver,
  textFileLogObserver,
} from './log/index.js';
