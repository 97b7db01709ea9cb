import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  eventAsJSON,
  FilteringLogObserver,
  Failure,
  formatEvent,
  globalLogPublisher,
  jsonFileLogObserver,
  type LogEvent,
  Logger,
  LogLevelFilterPredicate,
  textFileLogObserver,
} from '../../lib/index.js';
import { logEventsOfEachTest } from '../helpers.js';

const collected = logEventsOfEachTest();

describe('Logger', () => {
  it('emits plain events with the log_* fields', () => {
    new Logger('a.b').info('hello {who}', { who: 'world' });
    expect(collected).toHaveLength(1);
    const [e] = collected;
    expect(e).toMatchObject({
      who: 'world',
      log_namespace: 'a.b',
      log_level: 'info',
      log_format: 'hello {who}',
    });
    expect(typeof e!.log_time).toBe('number');
    expect(formatEvent(e!)).toBe('hello world');
  });

  it('failure attaches a Failure, at critical by default', () => {
    new Logger('x').failure('oops', new Error('bad'));
    expect(collected[0]!.log_level).toBe('critical');
    expect(collected[0]!.log_failure).toBeInstanceOf(Failure);
  });

  it('formatEvent handles dotted keys, escapes and missing fields', () => {
    const e = { log_format: '{a.b} {{x}} {nope}', a: { b: 1 } };
    expect(formatEvent(e)).toBe('1 {x} MISSING');
  });

  it('text and JSON observers write one line per event', () => {
    const out: string[] = [];
    const sink = { write: (s: string) => out.push(s) };
    new Logger('n', textFileLogObserver(sink)).warn('w {n}', { n: 2 });
    expect(out[0]).toMatch(/\[n#warn\] w 2\n$/);
    const json = JSON.parse(
      eventAsJSON({ log_namespace: 'n', log_level: 'info', log_format: 'f', log_time: 1, big: 1n }),
    );
    expect(json.big).toBe('1');
    expect(json.log_text).toBe('f');
  });

  it('filters by level with namespaces covering their children', () => {
    const seen: LogEvent[] = [];
    const levels = new LogLevelFilterPredicate('warn');
    levels.setLogLevelForNamespace('a', 'debug');
    const filter = new FilteringLogObserver((e) => seen.push(e), [levels]);
    new Logger('a.b.c', filter.observer).debug('in');
    new Logger('z', filter.observer).info('out');
    new Logger('z', filter.observer).error('in');
    expect(seen.map((e) => e.log_namespace)).toEqual(['a.b.c', 'z']);
  });
});

describe('callable observers and predicates', () => {
  it('a LogLevelFilterPredicate is a function of an event, as in Twisted', () => {
    const levels = new LogLevelFilterPredicate('warn');
    const event = { log_namespace: 'x', log_level: 'info', log_format: '', log_time: 0 } as const;
    expect(levels(event)).toBe('no');
    expect(levels({ ...event, log_level: 'error' })).toBe('maybe');
    expect(levels).toBeInstanceOf(LogLevelFilterPredicate);
  });

  it('a FilteringLogObserver can be added to a publisher directly', () => {
    const seen: string[] = [];
    const filter = new FilteringLogObserver(
      (e) => seen.push(e.log_level),
      [new LogLevelFilterPredicate('warn')],
    );
    globalLogPublisher.addObserver(filter);
    try {
      new Logger('f').info('dropped');
      new Logger('f').warn('kept');
    } finally {
      globalLogPublisher.removeObserver(filter);
    }
    expect(seen).toEqual(['warn']);
    expect(filter).toBeInstanceOf(FilteringLogObserver);
  });
});

describe('the text observer and peer-controlled bytes', () => {
  it('escapes CR, ESC and other control characters so a field cannot forge a line', () => {
    let out = '';
    const sink = { write: (s: string) => (out += s) };
    const forged = 'bob\r2026-01-01T00:00:00.000Z [woven#info] admin logged in\x1b[2K\x00\u2028';
    new Logger('n', textFileLogObserver(sink)).info('hello {name}', { name: forged });
    expect(out).toContain('hello bob\\x0d2026-01-01');
    expect(out).toContain('\\x1b[2K\\x00\\u2028');
    for (const raw of ['\r', '\x1b', '\x00', '\u2028']) expect(out).not.toContain(raw);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.split('\n')).toHaveLength(2); // one line and its terminator
  });
});

describe('Logger events', () => {
  // The unit of log_time, not a timing: an event is stamped with the wall clock in seconds.
  it('stamps log_time in seconds since the epoch', () => {
    new Logger('stamp').info('now');
    expect(Math.abs(collected[0]!.log_time - Date.now() / 1000)).toBeLessThan(60);
  });

  it('emit(level, ...) uses the given level', () => {
    new Logger('emit').emit('warn', 'careful');
    expect(collected[0]!.log_level).toBe('warn');
  });
});

describe('jsonFileLogObserver', () => {
  it('writes one JSON object per line', () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    jsonFileLogObserver(stream)({
      log_namespace: 'x',
      log_level: 'info',
      log_format: 'a {b}',
      log_time: 1,
      b: 2,
    });
    const text = chunks.join('');
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text.trim())).toMatchObject({ log_namespace: 'x', b: 2 });
  });
});
