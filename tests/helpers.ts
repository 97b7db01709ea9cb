// The helpers every area's tests share: one home for each, instead of a copy
// per file.
import type { Channel } from 'node:diagnostics_channel';
import { afterEach, beforeEach, expect } from 'vitest';
import { getEventListeners } from 'node:events';
import {
  type Connection,
  type Deferred,
  Failure,
  type IListeningPort,
  globalLogPublisher,
  type InetAddress,
  type LogEvent,
  listen,
  Protocol,
} from '../lib/index.js';

/**
 * The Failure `d` holds now (its chain is synchronous), consumed so nothing
 * is reported unhandled; `undefined` when `d` has not failed.
 */
export function failureOf(d: Deferred<unknown>): Failure | undefined {
  let got: Failure | undefined;
  d.addErrback((f: Failure) => {
    got = f;
  });
  return got;
}

/**
 * The Failure `d` holds, consumed; fails the test unless `d` has failed
 * (with a `type`, if given), as Twisted's `failureResultOf`.
 */
export function failureResultOf(
  d: Deferred<unknown>,
  type?: abstract new (...a: never[]) => unknown,
): Failure {
  const got = failureOf(d);
  expect(got).toBeInstanceOf(Failure);
  if (type !== undefined) expect(got!.value).toBeInstanceOf(type);
  return got!;
}

/** Every item of `source`, in order, once it ends. */
export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

/** Everything `conn` yields until its clean end, as UTF-8 text. */
export async function readAll(conn: AsyncIterable<Uint8Array>): Promise<string> {
  return Buffer.concat(await collect(conn)).toString('utf8');
}

const decoder = new TextDecoder();

/** Read until at least `n` bytes arrived (or the end); returns them as UTF-8 text. */
export async function readAtLeast(conn: AsyncIterable<Uint8Array>, n: number): Promise<string> {
  let text = '';
  let bytes = 0;
  if (n <= 0) return text;
  for await (const chunk of conn) {
    text += decoder.decode(chunk, { stream: true });
    bytes += chunk.byteLength;
    if (bytes >= n) break;
  }
  return text + decoder.decode();
}

/** Write `text` on `conn` and read until as many bytes came back; returns them as UTF-8 text. */
export async function roundTrip(conn: Connection, text: string): Promise<string> {
  await conn.write(text);
  return readAtLeast(conn, Buffer.byteLength(text));
}

/** A promise with its resolve function exposed, for a test to open a gate when it chooses. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** How many `abort` listeners `signal` has now (an operation that settled leaves none). */
export function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** The TCP port of a listening port. */
export function portOf(port: IListeningPort): number {
  const host = port.getHost();
  if (host.type === 'UNIX') throw new Error('not a TCP port');
  return host.port;
}

/** Resolves after `n` turns of the event loop (no timers). */
export function turns(n = 1): Promise<void> {
  return new Promise((resolve) => {
    const step = (left: number): void => {
      if (left === 0) resolve();
      else setImmediate(step, left - 1);
    };
    step(n);
  });
}

/** Record every event logged from now until `stop()`. */
export function captureLog(): { events: LogEvent[]; stop: () => void } {
  const events: LogEvent[] = [];
  const observer = (e: LogEvent): void => {
    events.push(e);
  };
  globalLogPublisher.addObserver(observer);
  return { events, stop: () => globalLogPublisher.removeObserver(observer) };
}

/**
 * The events logged during each test of the calling file: observed from
 * `beforeEach` to `afterEach`, emptied before each test.
 */
export function logEventsOfEachTest(): LogEvent[] {
  const events: LogEvent[] = [];
  const observer = (e: LogEvent): void => {
    events.push(e);
  };
  beforeEach(() => {
    events.length = 0;
    globalLogPublisher.addObserver(observer);
  });
  afterEach(() => globalLogPublisher.removeObserver(observer));
  return events;
}

/** The events logged while the synchronous `fn` runs, and what it returned. */
export function loggedWhile<T>(fn: () => T): [LogEvent[], T] {
  const log = captureLog();
  try {
    return [log.events, fn()];
  } finally {
    log.stop();
  }
}

/** The events logged while `fn` runs (it sees them as they come), and what it returned. */
export async function loggedDuring<T>(
  fn: (events: LogEvent[]) => Promise<T> | T,
): Promise<[LogEvent[], T]> {
  const log = captureLog();
  try {
    return [log.events, await fn(log.events)];
  } finally {
    log.stop();
  }
}

/**
 * The next message published on `channel` that `match` accepts: subscribed
 * now, unsubscribed once it came (a wait on an event, bounded by the test's
 * timeout, instead of polling).
 */
export function nextPublished<T>(
  channel: Channel,
  match: (message: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown): void => {
      if (!match(message as T)) return;
      channel.unsubscribe(onMessage);
      resolve(message as T);
    };
    channel.subscribe(onMessage);
  });
}

/** The next event logged that `match` accepts (observed from now on; the observer leaves once it came). */
export function nextLogged(match: (event: LogEvent) => boolean): Promise<LogEvent> {
  return new Promise((resolve) => {
    const observer = (event: LogEvent): void => {
      if (!match(event)) return;
      globalLogPublisher.removeObserver(observer);
      resolve(event);
    };
    globalLogPublisher.addObserver(observer);
  });
}

/** A stream-style echo server: yields back every chunk it reads. */
export async function* echo(conn: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of conn) yield chunk;
}

/** A classic echo server. */
export class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport!.write(data);
  }
}

const served: IListeningPort[] = [];

/** A server on 127.0.0.1 and a free port, as a client description and a port number. */
export interface Served {
  readonly port: number;
  /** `tcp:127.0.0.1:<port>`, for `connect`. */
  readonly desc: string;
  readonly listening: IListeningPort;
}

/** Serve `handler` on 127.0.0.1 (a free port); {@link stopServing} closes it. */
export async function serve(handler: Parameters<typeof listen>[1]): Promise<Served> {
  const listening = await listen('tcp:0:interface=127.0.0.1', handler);
  served.push(listening);
  const { port } = listening.getHost() as InetAddress;
  return { port, desc: `tcp:127.0.0.1:${port}`, listening };
}

/** Stop every server {@link serve} started (call it in `afterEach`). */
export async function stopServing(): Promise<void> {
  await Promise.all(served.splice(0).map((p) => p.stopListening()));
}

/**
 * Lists for the ports and connections the calling file's tests open: after
 * each test the connections are aborted and the ports stopped.
 */
export function closedAfterEach(): { ports: IListeningPort[]; conns: Connection[] } {
  const ports: IListeningPort[] = [];
  const conns: Connection[] = [];
  afterEach(async () => {
    for (const c of conns.splice(0)) c.abort();
    await Promise.all(ports.splice(0).map((p) => p.stopListening()));
  });
  return { ports, conns };
}

/**
 * The unhandled promise rejections the process reports while `fn` runs and
 * for one event-loop turn after it (Node reports them once the microtasks
 * have drained), for tests that prove a promise nobody awaits is harmless.
 */
export async function unhandledRejectionsDuring(
  fn: () => Promise<void> | void,
): Promise<unknown[]> {
  const reasons: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    reasons.push(reason);
  };
  process.on('unhandledRejection', onRejection);
  try {
    await fn();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  return reasons;
}
