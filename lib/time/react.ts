import { maybeDeferred } from '../defer/index.js';
import { isThenable } from '../defer/index.js';
import { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import { ReactorNotRunning } from './errors.js';
import { reactor as defaultReactor, type Reactor } from './reactor.js';

const log = new Logger('woven.time.react');

/** The part of a reactor that {@link react} uses (a `Reactor`, or a fake in tests). */
export interface ReactorCore {
  /** Run until stopped (a `Reactor` resolves once stopped and shut down). */
  run(): PromiseLike<void> | undefined | void;
  /** Stop: run the shutdown triggers, then end {@link run}. */
  stop(): void;
  /** Call `fn(...args)` once running (at once if running already). */
  callWhenRunning(fn: (...args: never[]) => unknown, ...args: never[]): unknown;
  /** Call `fn(...args)` in `phase` of the `startup` or `shutdown` event. */
  addSystemEventTrigger(
    phase: 'before' | 'during' | 'after',
    event: 'startup' | 'shutdown',
    fn: (...args: never[]) => unknown,
    ...args: never[]
  ): unknown;
}

/** The exit code for a failure: its error's integer `exitCode` if it has one (as SystemExit), else 1. */
function exitCodeOf(failure: Failure): number {
  const code = (failure.value as { exitCode?: unknown } | null | undefined)?.exitCode;
  return typeof code === 'number' && Number.isInteger(code) ? code : 1;
}

/**
 * Call `main(reactor, ...argv)`, run the reactor until the Deferred/Promise
 * it returns settles, then stop it (once, and only if nobody else did), as
 * twisted.internet.task.react. Sets `process.exitCode` to 0 on success and
 * to 1 on failure (the failure is logged; an error with an integer
 * `exitCode` sets that code instead, like Python's `SystemExit`). Returns a
 * Promise that resolves once the reactor has stopped. Unlike Twisted it does
 * not exit the process: Node exits when nothing is left to do.
 *
 * @example
 * ```ts
 * await react(async (reactor, name) => {
 *   await deferLater(reactor, 1);
 *   console.log(`hello ${name}`);
 * }, ['world']);
 * ```
 */
export function react<R extends ReactorCore = Reactor, A extends unknown[] = []>(
  main: (reactor: R, ...argv: A) => PromiseLike<unknown> | unknown,
  argv: A = [] as unknown as A,
  reactor: R = defaultReactor as unknown as R,
): Promise<void> {
  let code = 0;
  let stopping = false;
  const finished = maybeDeferred(main, reactor, ...argv);
  reactor.addSystemEventTrigger('before', 'shutdown', () => {
    stopping = true;
  });
  const stop = (result: unknown, stopReactor: boolean): void => {
    if (stopReactor) {
      try {
        reactor.stop();
      } catch (error) {
        if (!(error instanceof ReactorNotRunning)) throw error;
      }
    }
    if (result instanceof Failure) {
      code = exitCodeOf(result);
      if (code !== 0)
        log.failure('main function encountered error', result, { log_level: 'error' });
    }
  };
  finished.addBoth((result: unknown) => {
    if (stopping) stop(result, false);
    else reactor.callWhenRunning(() => stop(result, true));
  });
  const done = (): void => {
    process.exitCode = code;
  };
  const running = reactor.run();
  if (isThenable(running)) return Promise.resolve(running).then(done);
  done();
  return Promise.resolve();
}
