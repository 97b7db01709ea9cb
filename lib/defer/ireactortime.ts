/**
 * A scheduled call, as returned by {@link IReactorTime.callLater}; the
 * concrete class is `DelayedCall`.
 */
export interface IDelayedCall {
  /** The time (in the clock's seconds) at which the call will run. */
  getTime(): number;
  /** Unschedule the call; throws `AlreadyCancelled` / `AlreadyCalled` as Twisted. */
  cancel(): void;
  /** Reschedule to `secondsFromNow` after the clock's current time. */
  reset(secondsFromNow: number): void;
  /** Postpone by `secondsLater`. */
  delay(secondsLater: number): void;
  /** True until the call has run or been cancelled. */
  active(): boolean;
  readonly called: boolean;
  readonly cancelled: boolean;
}

/**
 * Something that tells the time and schedules calls: the `Reactor`, or a
 * `Clock` in tests. All durations are seconds (floats), as in Twisted.
 */
export interface IReactorTime {
  /** The current time in seconds. */
  seconds(): number;
  /** Run `fn(...args)` after `delay` seconds. A negative or non-finite delay is a `RangeError`. */
  callLater<A extends unknown[]>(
    delay: number,
    fn: (...args: A) => unknown,
    ...args: A
  ): IDelayedCall;
  /** Every call scheduled and still pending. */
  getDelayedCalls(): IDelayedCall[];
}
