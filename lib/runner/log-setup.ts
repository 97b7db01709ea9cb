import { createWriteStream } from 'node:fs';
import {
  FilteringLogObserver,
  globalLogPublisher,
  isLogLevel,
  jsonFileLogObserver,
  LogLevelFilterPredicate,
  type LogObserver,
  type TextSink,
  textFileLogObserver,
} from '../log/index.js';
import { UsageError } from '../app/index.js';

/** How the `woven` command writes its log. */
export interface LogSetup {
  /** `'text'` (one readable line per event) or `'json'` (one JSON object per line). */
  format: string;
  /** The minimum level written. */
  level: string;
  /** A file to append to; `console` when absent. */
  file?: string;
  /** Where to write without a file (default stdout, as `twistd -n`). */
  console?: TextSink;
}

/**
 * Send every log event at `level` or above to stdout or a file, as text or
 * JSON. Returns a function that removes the observer and closes the file.
 * Bad values throw {@link UsageError}.
 */
export function setupLogging({ format, level, file, console }: LogSetup): () => Promise<void> {
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--log-format: expected text or json, got ${JSON.stringify(format)}`);
  }
  if (!isLogLevel(level)) {
    throw new UsageError(
      `--log-level: expected debug, info, warn, error or critical, got ${JSON.stringify(level)}`,
    );
  }
  const stream = file === undefined ? undefined : createWriteStream(file, { flags: 'a' });
  const sink = stream ?? console ?? process.stdout;
  const inner = format === 'json' ? jsonFileLogObserver(sink) : textFileLogObserver(sink);
  const filter = new FilteringLogObserver(inner, [new LogLevelFilterPredicate(level)]);
  const observer: LogObserver = filter.observer;
  globalLogPublisher.addObserver(observer);
  return () => {
    globalLogPublisher.removeObserver(observer);
    if (!stream) return Promise.resolve();
    return new Promise<void>((resolve) => stream.end(resolve));
  };
}
