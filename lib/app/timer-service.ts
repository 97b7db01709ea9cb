import type { Deferred } from '../defer/index.js';
import { succeed } from '../defer/index.js';
import type { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import { type IReactorTime, LoopingCall, reactor } from '../time/index.js';
import { Service } from './service.js';

const log = new Logger('woven.app.timer');

/**
 * A service that calls `fn(...args)` every `interval` seconds while it runs,
 * as Twisted's `TimerService`: the first call happens at start (as
 * `LoopingCall.start(interval, true)`), and stopping waits for a call in
 * flight (one that returned a Promise or Deferred) to finish. A call that
 * fails is logged and ends the loop.
 *
 * @example
 * ```ts
 * const heartbeat = new TimerService(30, () => log.info('alive'));
 * heartbeat.clock = clock; // in tests; defaults to the reactor
 * heartbeat.startService();
 * ```
 */
export class TimerService<A extends unknown[] = unknown[]> extends Service {
  /** Seconds between calls. */
  step: number;
  /** The function and arguments called each time. */
  call: [fn: (...args: A) => unknown, args: A];
  /** Where time comes from; set it before starting (default: the reactor). */
  clock: IReactorTime | undefined = undefined;
  #loop: LoopingCall<A> | undefined;
  #finished: Deferred<unknown> | undefined;

  constructor(interval: number, fn: (...args: A) => unknown, ...args: A) {
    super();
    this.step = interval;
    this.call = [fn, args];
  }

  /** The running `LoopingCall`, between start and stop (for tests and introspection). */
  get loop(): LoopingCall<A> | undefined {
    return this.#loop;
  }

  /** Start calling: the first call is made now. */
  override startService(): void {
    super.startService();
    const [fn, args] = this.call;
    const loop = new LoopingCall(fn, ...args);
    loop.clock = this.clock ?? reactor;
    this.#loop = loop;
    this.#finished = loop.start(this.step, true).addErrback((failure: Failure) => {
      log.failure('timer call failed; timer stopped', failure, { log_level: 'error' });
    });
  }

  /** Stop calling; fires once a call in flight has finished. */
  override stopService(): Deferred<void> {
    const loop = this.#loop;
    const finished = this.#finished;
    if (loop === undefined || finished === undefined) {
      super.stopService();
      return succeed(undefined);
    }
    if (loop.running) loop.stop();
    this.#loop = undefined;
    this.#finished = undefined;
    return finished.addCallback(() => {
      super.stopService();
    }) as unknown as Deferred<void>;
  }
}
