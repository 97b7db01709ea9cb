import { bindMethods } from './bind-methods.js';
import {
  checkCallable,
  checkDelay,
  DelayedCall,
  type DelayedCallOwner,
  delayedCallInternals,
} from './delayed-call.js';
import type { IReactorTime } from '../defer/index.js';

/**
 * Deterministic time for tests, as twisted.internet.task.Clock: `seconds()`
 * starts at 0 and only moves when you call {@link Clock.advance}.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const seen: number[] = [];
 * clock.callLater(2, () => seen.push(clock.seconds()));
 * clock.advance(1); // seen: []
 * clock.advance(1); // seen: [2]
 * ```
 */
export class Clock implements IReactorTime {
  #now = 0;
  /** Pending calls, sorted by time (ties in scheduling order) unless #dirty. */
  readonly #calls: DelayedCall[] = [];
  #dirty = false;
  readonly #owner: DelayedCallOwner = {
    seconds: () => this.#now,
    callCancelled: (call) => {
      const index = this.#calls.indexOf(call);
      if (index >= 0) this.#calls.splice(index, 1);
    },
    callRescheduled: () => {
      this.#dirty = true;
    },
  };

  /** A clock at time 0; its methods are bound (usable as callbacks). */
  constructor() {
    bindMethods(this, ['seconds', 'callLater', 'getDelayedCalls', 'advance', 'pump']);
  }

  /** The clock's current time in seconds (0 at construction). */
  seconds(): number {
    return this.#now;
  }

  /**
   * Schedule `fn(...args)` to run when the clock reaches `seconds() + delay`.
   * A negative or non-finite delay is a `RangeError`.
   */
  callLater<A extends unknown[]>(
    delay: number,
    fn: (...args: A) => unknown,
    ...args: A
  ): DelayedCall {
    checkDelay(delay);
    checkCallable(fn);
    const call = new DelayedCall(
      this.#now + delay,
      fn as (...args: never[]) => unknown,
      args,
      this.#owner,
    );
    this.#sort();
    const calls = this.#calls;
    const time = call.getTime();
    let lo = 0;
    let hi = calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((calls[mid] as DelayedCall).getTime() <= time) lo = mid + 1;
      else hi = mid;
    }
    calls.splice(lo, 0, call);
    return call;
  }

  /** The pending calls, earliest first (a copy). */
  getDelayedCalls(): DelayedCall[] {
    this.#sort();
    return this.#calls.slice();
  }

  /** The pending calls, earliest first, as Twisted's `Clock.calls` (a copy). */
  get calls(): DelayedCall[] {
    return this.getDelayedCalls();
  }

  /**
   * Move time forward by `amount` seconds, then run, in time order (ties in
   * scheduling order), every call now due, including calls scheduled while
   * advancing that are already due. An exception thrown by a call propagates
   * (as in Twisted); the calls still due run on the next `advance`.
   */
  advance(amount: number): void {
    checkDelay(amount, 'amount', true);
    this.#now += amount;
    const calls = this.#calls;
    for (;;) {
      this.#sort();
      const first = calls[0];
      if (first === undefined || first.getTime() > this.#now) return;
      calls.shift();
      delayedCallInternals.run(first);
    }
  }

  /** Advance by each amount in turn (as Twisted's `Clock.pump`). */
  pump(timings: Iterable<number>): void {
    for (const amount of timings) this.advance(amount);
  }

  #sort(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#calls.sort((a, b) => a.getTime() - b.getTime());
  }
}
