// The helpers every area's tests share: one home for each, instead of a copy
// per file.
import { expect } from 'vitest';
import {
  type Deferred,
  Failure,
  type IListeningPort,
  type InetAddress,
  listen,
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
