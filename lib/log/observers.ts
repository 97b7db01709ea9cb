import { Failure } from '../failure/index.js';
import { type LogEvent, type LogObserver, formatEvent } from './event.js';

/** Where an observer writes: anything with `write(string)`, such as a stream. */
export interface TextSink {
  write(chunk: string): unknown;
}

/**
 * An observer that writes one readable line per event to `stream`:
 * `2026-11-26T14:00:00.000Z [namespace#level] message`, followed by the
 * traceback when the event carries a failure.
 *
 * @example
 * ```ts
 * globalLogPublisher.addObserver(textFileLogObserver(process.stderr));
 * ```
 */
export function textFileLogObserver(stream: TextSink): LogObserver {
  return (event) => {
    stream.write(`${formatTextLine(event)}\n`);
  };
}

/** One event as the text observer writes it (without the trailing newline). */
export function formatTextLine(event: LogEvent): string {
  const time = new Date(event.log_time * 1000).toISOString();
  let line = `${time} [${event.log_namespace}#${event.log_level}] ${formatEvent(event)}`;
  if (event.log_failure instanceof Failure) line += `\n${event.log_failure.getTraceback()}`;
  return escapeControls(line).replaceAll('\n', '\n\t');
}

/** C0 controls but tab and newline, DEL, C1 controls, and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * `text` with every control character (a peer's CR or terminal escape, say)
 * written as `\xHH` or `\uHHHH`, so a logged value cannot forge or hide a
 * line. Newlines stay: the text observer indents what follows them.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/**
 * An observer that writes each event as one JSON object per line: the
 * event's fields, its rendered `log_text`, and a failure as
 * `{type, message, stack}`. Values JSON cannot hold (bigint, bytes, cycles,
 * errors) are written as strings or objects that describe them.
 */
export function jsonFileLogObserver(stream: TextSink): LogObserver {
  return (event) => {
    stream.write(`${eventAsJSON(event)}\n`);
  };
}

/** Serialize one event as the JSON observer does. */
export function eventAsJSON(event: LogEvent): string {
  const { log_failure, ...fields } = event;
  const out: Record<string, unknown> = { ...fields, log_text: formatEvent(event) };
  if (log_failure instanceof Failure) {
    out.log_failure = {
      type: log_failure.typeName(),
      message: log_failure.getErrorMessage(),
      stack: log_failure.getTraceback(),
    };
  }
  const seen = new WeakSet<object>();
  return JSON.stringify(out, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (typeof value === 'function' || typeof value === 'symbol') return String(value);
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  });
}
