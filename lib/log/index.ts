export { diagnosticsChannels } from './diagnostics.js';
export { type LogEvent, type LogObserver, formatEvent } from './event.js';
export {
  FilteringLogObserver,
  type LogFilterPredicate,
  LogLevelFilterPredicate,
  PredicateResult,
} from './filtering.js';
export { isLogLevel, LogLevel, levelSeverity } from './levels.js';
export { Logger } from './logger.js';
export {
  eventAsJSON,
  formatTextLine,
  jsonFileLogObserver,
  type TextSink,
  textFileLogObserver,
} from './observers.js';
export { globalLogPublisher, LogPublisher } from './publisher.js';
