import { AlreadyCalled, AlreadyCancelled } from './errors.js';
import type { IDelayedCall } from '../defer/index.js';

/**
 * What a {@link DelayedCall} needs from whoever scheduled it (a `Clock` or a
 * `Reactor`): the current time, and to hear about cancellation and
 * rescheduling so it can keep its queue in order.
 */
export interface DelayedCallOwner {
  /** The owner's current time in seconds. */
  seconds(): number;
  /** Called by `cancel()` before the call is marked cancelled. */
  callCancelled(call: DelayedCall): void;
  /** Called after `reset()`/`delay()` changed the call's time (`getTime()`). */
  callRescheduled(call: DelayedCall): void;
}

/**
 * Check that `delay` is a usable number of seconds: finite and, unless
 * `allowNegative`, not negative. Throws `RangeError` otherwise.
 */
export function checkDelay(delay: number, what = 'delay', allowNegative = false): number {
  if (typeof delay !== 'number' || !Number.isFinite(delay) || (!allowNegative && delay < 0)) {
    throw new RangeError(
      `${what} must be a finite${allowNegative ? '' : ', non-negative'} number of seconds, got ${String(delay)}`,
    );
  }
  return delay;
}

/** Check that `fn` is callable (a `TypeError` otherwise), for `callLater`. */
export function checkCallable(fn: unknown): void {
  if (typeof fn !== 'function') throw new TypeError(`callLater needs a function, got ${typeof fn}`);
}

/** Shared by every call made without arguments. */
export const NO_ARGS = Object.freeze([]) as unknown as unknown[];

// A call's state and its owner's token share one field (the object stays
// small: 100,000 may be pending): a token is >= 0, PENDING means pending
// without a token.
const PENDING = -1;
const CALLED = -2;
const CANCELLED = -3;

/**
 * Module-internal access to a call's scheduling state, for the owners' queues
 * in this area (not exported from the package).
 */
export const delayedCallInternals = {} as {
  /** The owner's token for the call's current queue entry (negative when none). */
  token(call: DelayedCall): number;
  /** Set the token of a pending call (-1 to clear it); ignored once called or cancelled. */
  setToken(call: DelayedCall, token: number): void;
  /** Mark the call as called and run it (exceptions propagate). */
  run(call: DelayedCall): void;
};

/**
 * A call scheduled by `callLater` on a `Reactor` or a `Clock`, as
 * twisted.internet.base.DelayedCall. Times are in the owner's seconds.
 *
 * @example
 * ```ts
 * const call = clock.callLater(5, () => console.log('late'));
 * call.delay(2);   // now due at 7
 * call.cancel();   // never runs; call.cancelled === true
 * ```
 */
export class DelayedCall implements IDelayedCall {
  #time: number;
  #fn: ((...args: never[]) => unknown) | undefined;
  #args: unknown[] | undefined;
  readonly #owner: DelayedCallOwner;
  /** The owner's token (>= 0, pending), or PENDING, CALLED or CANCELLED. */
  #state = PENDING;

  static {
    Object.assign(delayedCallInternals, {
      token: (call: DelayedCall) => call.#state,
      setToken: (call: DelayedCall, token: number) => {
        if (call.#state >= PENDING) call.#state = token;
      },
      run: (call: DelayedCall) => call.#run(),
    });
  }

  /**
   * Usually made by `callLater`. `time` is the absolute time (in
   * `owner.seconds()` terms) at which `fn(...args)` is due.
   */
  constructor(
    time: number,
    fn: (...args: never[]) => unknown,
    args: unknown[],
    owner: DelayedCallOwner,
  ) {
    this.#time = time;
    this.#fn = fn;
    // Share one empty array: a per-call one would outlive the young generation.
    this.#args = args.length === 0 ? NO_ARGS : args;
    this.#owner = owner;
  }

  /** The time (in the owner's seconds) at which the call is due. */
  getTime(): number {
    return this.#time;
  }

  /** True once the call has run. */
  get called(): boolean {
    return this.#state === CALLED;
  }

  /** True once the call was cancelled. */
  get cancelled(): boolean {
    return this.#state === CANCELLED;
  }

  /** The scheduled function (undefined once cancelled or called). */
  get func(): ((...args: never[]) => unknown) | undefined {
    return this.#fn;
  }

  /** The arguments it will be called with (undefined once cancelled or called). */
  get args(): readonly unknown[] | undefined {
    return this.#args;
  }

  /** True until the call has run or been cancelled. */
  active(): boolean {
    return this.#state >= PENDING;
  }

  /**
   * Unschedule the call. Throws `AlreadyCancelled` if it was cancelled,
   * `AlreadyCalled` if it has run.
   */
  cancel(): void {
    this.#checkActive();
    this.#owner.callCancelled(this);
    this.#state = CANCELLED;
    this.#fn = undefined;
    this.#args = undefined;
  }

  /**
   * Reschedule the call to `secondsFromNow` after the owner's current time
   * (sooner or later). Throws as {@link cancel}; a negative or non-finite
   * delay is a `RangeError`.
   */
  reset(secondsFromNow: number): void {
    this.#checkActive();
    checkDelay(secondsFromNow, 'secondsFromNow');
    this.#time = this.#owner.seconds() + secondsFromNow;
    this.#owner.callRescheduled(this);
  }

  /**
   * Postpone the call by `secondsLater` (negative moves it sooner, as in
   * Twisted). Throws as {@link cancel}; a non-finite value is a `RangeError`.
   */
  delay(secondsLater: number): void {
    this.#checkActive();
    checkDelay(secondsLater, 'secondsLater', true);
    this.#time += secondsLater;
    this.#owner.callRescheduled(this);
  }

  /** A short description for debugging. */
  toString(): string {
    const state =
      this.#state === CANCELLED ? 'cancelled' : this.#state === CALLED ? 'called' : 'pending';
    const name = this.#fn?.name || 'anonymous';
    return `<DelayedCall ${state} at ${this.#time} ${name}>`;
  }

  #checkActive(): void {
    if (this.#state === CANCELLED) throw new AlreadyCancelled('this call was already cancelled');
    if (this.#state === CALLED) throw new AlreadyCalled('this call has already run');
  }

  #run(): void {
    const fn = this.#fn as (...args: unknown[]) => unknown;
    const args = this.#args as unknown[];
    this.#state = CALLED;
    this.#fn = undefined;
    this.#args = undefined;
    if (args.length === 0) fn();
    else fn(...args);
  }
}
