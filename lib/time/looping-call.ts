import { Deferred, type IDelayedCall, type IReactorTime, maybeDeferred } from '../defer/index.js';
import type { Failure } from '../failure/index.js';
import { bindMethods } from './bind-methods.js';
import { checkDelay } from './delayed-call.js';
import { LoopingCallStateError } from './errors.js';
import { reactor } from './reactor.js';

/**
 * Call a function every `interval` seconds, as twisted.internet.task.LoopingCall.
 * When the function returns a Deferred or Promise, the next call is only
 * scheduled once it has settled. Calls are aligned to the start time: missed
 * intervals (a slow call, a blocked loop) are skipped, not run in a burst.
 *
 * @example
 * ```ts
 * const lc = new LoopingCall(() => console.log('tick'));
 * lc.start(1).addCallback(() => console.log('stopped'));
 * // later: lc.stop();
 * ```
 */
export class LoopingCall<A extends unknown[] = unknown[]> {
  /** The clock used to schedule calls; set it before `start()`. Defaults to the reactor. */
  clock: IReactorTime = reactor;
  readonly #fn: (...args: A) => unknown;
  readonly #args: A;
  #running = false;
  #interval: number | undefined;
  #starttime: number | undefined;
  #runAtStart = false;
  #call: IDelayedCall | undefined;
  #deferred: Deferred<LoopingCall<A>> | undefined;
  #realLastTime: number | undefined;

  /** Repeatedly call `fn(...args)` once started. `start`, `stop` and `reset` are bound. */
  constructor(fn: (...args: A) => unknown, ...args: A) {
    this.#fn = fn;
    this.#args = args;
    bindMethods(this as LoopingCall<A>, ['start', 'stop', 'reset']);
  }

  /**
   * A LoopingCall whose function gets the number of intervals elapsed since
   * it last ran (normally 1; more when intervals were missed; always 1 with
   * an interval of 0).
   */
  static withCount(countCallable: (count: number) => unknown): LoopingCall<[]> {
    const lc: LoopingCall<[]> = new LoopingCall(() => lc.#countedCall(countCallable));
    return lc;
  }

  /** True from `start()` until `stop()` or a failure of the function. */
  get running(): boolean {
    return this.#running;
  }

  /** The interval given to `start()` (undefined before); may be changed while running. */
  get interval(): number | undefined {
    return this.#interval;
  }

  set interval(seconds: number) {
    this.#interval = checkDelay(seconds, 'interval');
  }

  /** The clock time at which `start()` was last called (or the loop reset). */
  get starttime(): number | undefined {
    return this.#starttime;
  }

  /** The pending scheduled call, if any. */
  get call(): IDelayedCall | undefined {
    return this.#call;
  }

  /**
   * Start calling the function every `interval` seconds, first right now
   * unless `now` is false. Returns a Deferred that fires with this
   * LoopingCall once stopped, or fails with the function's error (thrown, or
   * its Deferred/Promise failing). Throws if already running; a negative or
   * non-finite interval is a `RangeError`.
   */
  start(interval: number, now = true): Deferred<LoopingCall<A>> {
    if (this.#running)
      throw new LoopingCallStateError('tried to start an already running LoopingCall');
    checkDelay(interval, 'interval');
    this.#running = true;
    const deferred = new Deferred<LoopingCall<A>>();
    this.#deferred = deferred;
    this.#starttime = this.clock.seconds();
    this.#interval = interval;
    this.#runAtStart = now;
    this.#realLastTime = undefined;
    if (now) this.#invoke();
    else this.#scheduleFrom(this.#starttime);
    return deferred;
  }

  /**
   * Stop calling the function. The Deferred from `start()` fires now, or,
   * when a call's Deferred/Promise is pending, once it settles. Throws if
   * not running.
   */
  stop(): void {
    if (!this.#running)
      throw new LoopingCallStateError('tried to stop a LoopingCall that was not running');
    this.#running = false;
    if (this.#call !== undefined) {
      this.#call.cancel();
      this.#call = undefined;
      this.#fire();
    }
  }

  /** Skip the next call and restart the interval from now. Throws if not running. */
  reset(): void {
    if (!this.#running)
      throw new LoopingCallStateError('tried to reset a LoopingCall that was not running');
    if (this.#call !== undefined) {
      this.#call.cancel();
      this.#call = undefined;
      this.#starttime = this.clock.seconds();
      this.#scheduleFrom(this.#starttime);
    }
  }

  /** A short description for debugging. */
  toString(): string {
    return `LoopingCall<${String(this.#interval)}>(${this.#fn.name || 'anonymous'})`;
  }

  #fire(failure?: Failure): void {
    const d = this.#deferred;
    this.#deferred = undefined;
    if (failure === undefined) d?.callback(this);
    else d?.errback(failure);
  }

  readonly #invoke = (): void => {
    this.#call = undefined;
    maybeDeferred(this.#fn, ...this.#args)
      .addCallback(() => {
        if (this.#running) this.#scheduleFrom(this.clock.seconds());
        else this.#fire();
      })
      .addErrback((failure: Failure) => {
        this.#running = false;
        this.#fire(failure);
      });
  };

  #scheduleFrom(when: number): void {
    this.#call = this.clock.callLater(this.#howLong(when), this.#invoke);
  }

  /** Seconds from `when` until the next interval boundary (a full interval if on one). */
  #howLong(when: number): number {
    const interval = this.#interval as number;
    if (interval === 0) return 0;
    const runningFor = when - (this.#starttime as number);
    const untilNextInterval = interval - (((runningFor % interval) + interval) % interval);
    if (when === when + untilNextInterval) return interval;
    return untilNextInterval;
  }

  #intervalOf(t: number): number {
    return Math.trunc((t - (this.#starttime as number)) / (this.#interval as number));
  }

  #countedCall(countCallable: (count: number) => unknown): unknown {
    const now = this.clock.seconds();
    if (this.#interval === 0) {
      this.#realLastTime = now;
      return countCallable(1);
    }
    let lastTime = this.#realLastTime;
    if (lastTime === undefined) {
      lastTime = this.#starttime as number;
      if (this.#runAtStart) lastTime -= this.#interval as number;
    }
    const count = this.#intervalOf(now) - this.#intervalOf(lastTime);
    if (count > 0) {
      this.#realLastTime = now;
      return countCallable(count);
    }
    return undefined;
  }
}
