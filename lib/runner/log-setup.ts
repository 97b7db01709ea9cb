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
import { LogFile } from './log-file.js';
import { type WorkerLogFields, workerLogFields } from './workers.js';

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
 * Under `--workers`, add the worker's id and pid to every event (the
 * caller's own fields win); text lines also show them before the message.
 */
function tagWorker(observer: LogObserver, fields: WorkerLogFields, text: boolean): LogObserver {
  return (event) => {
    const tagged = { ...fields, ...event };
    if (text) tagged.log_format = `[worker {worker_id}, pid {worker_pid}] ${event.log_format}`;
    observer(tagged);
  };
}

/** The runner's log output, as {@link setupLogging} set it up. */
export interface LogOutput {
  /** The `--logfile`, if any (it can be reopened). */
  file: LogFile | undefined;
  /** Remove the observer and close the file. */
  close(): Promise<void>;
}

/**
 * Send every log event at `level` or above to stdout or a file, as text or
 * JSON. Returns the {@link LogOutput}: its file, and how to close it.
 * Bad values throw {@link UsageError}; a file that cannot be opened (a
 * missing directory) throws `LogFileError`.
 */
export function setupLogging({ format, level, file, console }: LogSetup): LogOutput {
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--log-format: expected text or json, got ${JSON.stringify(format)}`);
  }
  if (!isLogLevel(level)) {
    throw new UsageError(
      `--log-level: expected debug, info, warn, error or critical, got ${JSON.stringify(level)}`,
    );
  }
  const logFile = file === undefined ? undefined : new LogFile(file);
  const sink = logFile ?? console ?? process.stdout;
  const inner = format === 'json' ? jsonFileLogObserver(sink) : textFileLogObserver(sink);
  const filter = new FilteringLogObserver(inner, [new LogLevelFilterPredicate(level)]);
  const fields = workerLogFields();
  const observer = fields ? tagWorker(filter.observer, fields, format === 'text') : filter.observer;
  globalLogPublisher.addObserver(observer);
  return {
    file: logFile,
    close: () => {
      globalLogPublisher.removeObserver(observer);
      logFile?.close();
      return Promise.resolve();
    },
  };
}
