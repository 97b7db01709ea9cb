// Tests: tests/defer/deferred*.test.ts, tests/defer/aplus.test.ts, tests/defer/unhandled.test.ts
import { Failure as FailureClass } from '../failure/index.js';
import type { IDelayedCall, IReactorTime } from './ireactortime.js';
import { AbortError, AlreadyCalledError, CancelledError, TimeoutError } from './errors.js';
import {
  forgetUnhandled,
  isHandled,
  markHandled,
  trackUnhandled,
  type UnhandledFailure,
} from './unhandled.js';

// A module-local binding: when a loader compiles modules to CommonJS (tsx
// does), every use of an imported name is a getter call.
const Failure = FailureClass;
type Failure = FailureClass;

/**
 * Whether `x` is a Failure. Checked on every step: primitives (the common
 * success results) are ruled out before the slower `instanceof`.
 */
function isFailure(x: unknown): x is Failure {
  return typeof x === 'object' && x !== null && x instanceof Failure;
}

/** A callback or errback as stored in the chain. */
type Step = (result: unknown, ...args: unknown[]) => unknown;

/** Options of {@link Deferred.addCallbacks}: extra arguments for each side. */
export interface AddCallbacksOptions {
  /** Extra arguments passed to the callback after the result. */
  callbackArgs?: unknown[];
  /** Extra arguments passed to the errback after the failure. */
  errbackArgs?: unknown[];
}

/**
 * The marker of a chain step that hands this Deferred's result to another
 * Deferred waiting on it (Twisted's `_CONTINUE`). Its argument slot holds the
 * waiting Deferred.
 */
const CONTINUE: Step = () => undefined;

/**
 * The marker of a {@link Deferred.chainDeferred} step: its argument slot holds
 * the Deferred to fire with this chain's result. Run by the loop of
 * `#runCallbacks` rather than as a call, so long chains do not grow the stack.
 */
const CHAIN: Step = () => undefined;

/**
 * The marker of a {@link Deferred.then} step: its argument slots hold the
 * native Promise's `resolve` (callback side) and `reject` (errback side),
 * called with the result here, which passes on unchanged.
 */
const SETTLE: Step = () => undefined;

/** Each chain step takes four slots: callback, errback, callback args, errback args. */
const STEP = 4;

/**
 * Step arrays of chains that ran to their end, empty, for new chains to
 * reuse: a chain then neither allocates its array nor grows it step by step
 * (the cost of a fresh `[]` reallocated at its 5th, 11th and 20th step).
 * Bounded in count and in the size of each array kept.
 */
const spareSteps: unknown[][] = [];
const MAX_SPARE_ARRAYS = 256;
const MAX_SPARE_SLOTS = 64 * STEP;

let nextId = 0;
/** Debug ids for `toString`, given on first use (kept off the objects). */
const debugIds = new WeakMap<object, number>();

/**
 * A result that is not there yet, with a synchronous chain of callbacks and
 * cancellation, as Twisted's `Deferred`. Fire it once with {@link callback}
 * or {@link errback}; each callback gets the previous one's result. It is also
 * a thenable, so `await d` works.
 *
 * @example
 * ```ts
 * const d = new Deferred<number>();
 * d.addCallback((n) => n * 2).addErrback((f) => { f.trap(CancelledError); return 0; });
 * d.callback(21); // callbacks run now, synchronously
 * console.log(await d); // 42
 * ```
 */
export class Deferred<T = unknown> implements PromiseLike<T> {
  #called = false;
  #paused = 0;
  #result: unknown = undefined;
  /** Pending steps, STEP slots each, from `#next` to `#end`. */
  #steps: unknown[] | null = null;
  #next = 0;
  #end = 0;
  #running = false;
  #suppressAlreadyCalled = false;
  #canceller: ((d: never) => void) | undefined;
  /** The Deferred or thenable the chain is paused on, if any. */
  #waitingOn: object | null = null;
  #unhandled: UnhandledFailure | null = null;

  /**
   * @param canceller called by {@link cancel} while this Deferred has not
   *   fired; it may fire it (otherwise it fails with `CancelledError`).
   */
  constructor(canceller?: (d: Deferred<T>) => void) {
    this.#canceller = canceller;
  }

  /** `'Deferred'`: with it a Deferred is assignable wherever a `Promise` is typed. */
  get [Symbol.toStringTag](): string {
    return 'Deferred';
  }

  /** Whether `callback` or `errback` has been called. */
  get called(): boolean {
    return this.#called;
  }

  /** How many `pause()` calls (or pending returned Deferreds) hold the chain. */
  get paused(): number {
    return this.#paused;
  }

  /**
   * The current result: the last callback's return value, a `Failure` on the
   * error path, the Deferred being waited on, or `undefined` before firing.
   * Meant for tests and debugging.
   */
  get result(): unknown {
    return this.#result;
  }

  /**
   * Fire with `result`: the callback chain runs now. A `Failure` takes the
   * error path. Throws `AlreadyCalledError` if already fired.
   */
  callback(result: T | Failure): void {
    if (typeof result === 'object' && result instanceof Deferred) {
      throw new TypeError('Deferred.callback() with a Deferred: chain it instead');
    }
    if (this.#called) {
      this.#alreadyCalled();
      return;
    }
    this.#called = true;
    this.#result = result;
    this.#runCallbacks();
  }

  /**
   * Fire on the error path with `reason` (wrapped in a {@link Failure} unless
   * it is one). Throws `AlreadyCalledError` if already fired.
   */
  errback(reason?: unknown): void {
    if (this.#called) {
      this.#alreadyCalled();
      return;
    }
    this.#called = true;
    this.#result = isFailure(reason) ? reason : new Failure(reason);
    this.#runCallbacks();
  }

  /**
   * Add `fn(result, ...args)` on the success path; failures pass it by.
   * Returns this Deferred, re-typed to `fn`'s result.
   *
   * @example
   * ```ts
   * succeed(2).addCallback((n, m) => n * m, 21); // fires with 42
   * ```
   */
  addCallback<U, A extends unknown[] = []>(
    fn: (result: T, ...args: A) => U | PromiseLike<U>,
    ...args: A
  ): Deferred<U> {
    return this.#add(fn as Step, undefined, args.length === 0 ? undefined : args, undefined);
  }

  /**
   * Add `fn(failure, ...args)` on the error path; successes pass it by. A
   * return value switches back to the success path; throwing (or
   * `failure.trap` not matching) stays on the error path.
   */
  addErrback<U = T, A extends unknown[] = []>(
    fn: (failure: Failure, ...args: A) => U | PromiseLike<U>,
    ...args: A
  ): Deferred<T | U> {
    return this.#add(undefined, fn as Step, undefined, args.length === 0 ? undefined : args);
  }

  /** Add `fn(resultOrFailure, ...args)` on both paths. */
  addBoth<U, A extends unknown[] = []>(
    fn: (result: T | Failure, ...args: A) => U | PromiseLike<U>,
    ...args: A
  ): Deferred<U> {
    const a = args.length === 0 ? undefined : args;
    return this.#add(fn as Step, fn as Step, a, a);
  }

  /**
   * Add a callback and an errback as one step: exactly one of them runs.
   * A missing side passes the result through.
   */
  addCallbacks<U = T, V = never>(
    callback: ((result: T, ...args: never[]) => U | PromiseLike<U>) | null | undefined,
    errback?: ((failure: Failure, ...args: never[]) => V | PromiseLike<V>) | null,
    options?: AddCallbacksOptions,
  ): Deferred<U | V> {
    const ca = options?.callbackArgs;
    const ea = options?.errbackArgs;
    return this.#add(
      (callback ?? undefined) as Step | undefined,
      (errback ?? undefined) as Step | undefined,
      ca == null || ca.length === 0 ? undefined : ca,
      ea == null || ea.length === 0 ? undefined : ea,
    );
  }

  /**
   * Fire `other` with this Deferred's result at this point of the chain
   * (`addCallbacks(other.callback, other.errback)`); this chain continues with
   * `undefined`.
   */
  chainDeferred(other: Deferred<T>): Deferred<void> {
    if (!(other instanceof Deferred)) throw new TypeError('chainDeferred() needs a Deferred');
    return this.#add(CHAIN, CHAIN, other, other);
  }

  /** Stop running callbacks until a matching {@link unpause}. */
  pause(): void {
    this.#paused++;
  }

  /** Undo one {@link pause}; when none is left, run any pending callbacks. */
  unpause(): void {
    this.#paused--;
    if (this.#paused === 0 && this.#called) this.#runCallbacks();
  }

  /**
   * Cancel: if not fired, call the canceller and, if that did not fire this
   * Deferred, fail with `CancelledError`. If the chain waits on a returned
   * Deferred, cancel that one; if it waits on another thenable, go on at once
   * with `CancelledError` and ignore that thenable's late settlement.
   */
  cancel(): void {
    // Walk down to the innermost Deferred being waited on (iteratively, so
    // long chains of returned Deferreds do not grow the stack).
    let target: Deferred<unknown> = this;
    while (target.#called && target.#waitingOn instanceof Deferred) target = target.#waitingOn;
    if (!target.#called) {
      const canceller = target.#canceller;
      if (canceller !== undefined) canceller(target as never);
      else target.#suppressAlreadyCalled = true;
      if (!target.#called) target.errback(new CancelledError());
    } else if (target.#waitingOn !== null) {
      target.#waitingOn = null;
      target.#result = new Failure(new CancelledError());
      target.unpause();
    }
  }

  /**
   * Cancel after `seconds` on `clock` unless fired first (the timer is then
   * cancelled). The `CancelledError` of that cancel becomes a `TimeoutError`,
   * or whatever `onTimeoutCancel(resultOrFailure, seconds)` returns.
   *
   * @example
   * ```ts
   * getPage(url).addTimeout(30, reactor).addErrback((f) => f.trap(TimeoutError));
   * ```
   */
  addTimeout(
    seconds: number,
    clock: IReactorTime,
    onTimeoutCancel?: (result: unknown, seconds: number) => unknown,
  ): Deferred<T> {
    let timedOut = false;
    const delayedCall: IDelayedCall = clock.callLater(seconds, () => {
      timedOut = true;
      this.cancel();
    });
    const convert = onTimeoutCancel ?? cancelledToTimeoutError;
    // One step: once timed out the timer has run; otherwise it is cancelled.
    return this.addBoth((result) => {
      if (timedOut) return convert(result, seconds);
      if (delayedCall.active()) delayedCall.cancel();
      return result;
    }) as Deferred<T>;
  }

  /**
   * Cancel this Deferred when `signal` aborts (at once if it already has).
   * The listener is removed when the chain reaches this point. A
   * `CancelledError` the chain holds here because of that abort becomes an
   * {@link AbortError} (still a `CancelledError`, named `'AbortError'`) whose
   * `cause` is `signal.reason`, so code written for Node's APIs sees an abort.
   *
   * @example
   * ```ts
   * const [index, conn] = await race([connect(a), connect(b)]).cancelOn(AbortSignal.timeout(5000));
   * ```
   */
  cancelOn(signal: AbortSignal): this {
    const watch = new AbortWatch(signal, this);
    if (!signal.aborted) signal.addEventListener('abort', watch, { once: true });
    const args = [watch];
    this.#add(endAbortWatch as Step, endAbortWatch as Step, args, args);
    if (signal.aborted) watch.handleEvent();
    return this;
  }

  /**
   * Promise interop: observe the result at this point of the chain without
   * consuming it, and return a native Promise (Promises/A+: handlers run
   * asynchronously). A rejection carries the raw error (`failure.value`); a
   * failure observed here counts as handled.
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this.#idle()) {
      // Nothing pending: settle from the current result, without a step.
      const result = this.#result;
      let settled: Promise<unknown>;
      if (isFailure(result)) {
        markHandled(result);
        this.#noteEndOfChain();
        settled = Promise.reject(result.value);
      } else {
        settled = Promise.resolve(result);
      }
      return withHandlers(settled, onFulfilled, onRejected);
    }
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#push(SETTLE, SETTLE, resolve, reject);
    if (this.#called) this.#runCallbacks();
    return withHandlers(promise, onFulfilled, onRejected);
  }

  /** As `Promise.prototype.catch`, observing this chain (see {@link then}). */
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }

  /** As `Promise.prototype.finally`, observing this chain (see {@link then}). */
  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.asPromise().finally(onFinally);
  }

  /** A native Promise of the result at this point of the chain (see {@link then}). */
  asPromise(): Promise<T> {
    return this.then();
  }

  /**
   * Wrap any thenable. `cancel()` fails the Deferred with `CancelledError` at
   * once; the thenable's late settlement is then ignored.
   */
  static fromPromise<T>(promise: PromiseLike<T>): Deferred<T> {
    if (promise instanceof Deferred) return promise;
    const d = new Deferred<T>(ignoreCancel);
    d.#follow(promise);
    return d;
  }

  /**
   * Run `fn(signal)` now with a fresh `AbortSignal` and follow its promise.
   * `cancel()` aborts the signal (its `reason` an {@link AbortError}, which
   * Node's APIs and abort-controller-x recognise) and fails the Deferred
   * with `CancelledError`, whatever `fn` then rejects with.
   *
   * @example
   * ```ts
   * const d = Deferred.fromAsync((signal) => fetch(url, { signal }));
   * d.cancel(); // aborts the fetch
   * ```
   */
  static fromAsync<T>(fn: (signal: AbortSignal) => PromiseLike<T>): Deferred<T> {
    const controller = new AbortController();
    const d = new Deferred<T>(() => controller.abort(new AbortError('Deferred cancelled')));
    let promise: PromiseLike<T>;
    try {
      promise = fn(controller.signal);
    } catch (error) {
      d.errback(error);
      return d;
    }
    d.#follow(promise);
    return d;
  }

  /** `<Deferred #n>`, with its state once fired (for debugging). */
  toString(): string {
    const waitingOn = this.#waitingOn;
    const state = !this.#called
      ? ''
      : waitingOn instanceof Deferred
        ? ` waiting on Deferred #${waitingOn.#debugId()}`
        : ` current result: ${String(this.#result)}`;
    return `<Deferred #${this.#debugId()}${state}>`;
  }

  #debugId(): number {
    let id = debugIds.get(this);
    if (id === undefined) {
      id = ++nextId;
      debugIds.set(this, id);
    }
    return id;
  }

  /** Fire with the settlement of `promise` unless already fired (by a cancel). */
  #follow(promise: PromiseLike<T>): void {
    if (typeof promise?.then !== 'function') {
      this.callback(promise as T);
      return;
    }
    promise.then(
      (value) => {
        if (!this.#called) this.callback(value);
      },
      (error) => {
        if (!this.#called) this.errback(error);
      },
    );
  }

  /** A second fire: swallowed once after a cancel without canceller, else an error. */
  #alreadyCalled(): void {
    if (this.#suppressAlreadyCalled) {
      this.#suppressAlreadyCalled = false;
      return;
    }
    throw new AlreadyCalledError();
  }

  #add<U>(
    callback: Step | undefined,
    errback: Step | undefined,
    callbackArgs: unknown,
    errbackArgs: unknown,
  ): Deferred<U> {
    if (typeof callback !== 'function' && callback !== undefined) throw notCallable(callback);
    if (typeof errback !== 'function' && errback !== undefined) throw notCallable(errback);
    if (callback !== CHAIN && this.#idle()) {
      // Fired and idle: run this one step now, without queueing it.
      const failed = isFailure(this.#result);
      const fn = failed ? errback : callback;
      if (fn !== undefined) {
        this.#step(fn, (failed ? errbackArgs : callbackArgs) as unknown[] | undefined);
        if (this.#next !== this.#end) this.#runCallbacks();
        else this.#noteEndOfChain();
      }
      return this as unknown as Deferred<U>;
    }
    this.#push(callback, errback, callbackArgs, errbackArgs);
    if (this.#called) this.#runCallbacks();
    return this as unknown as Deferred<U>;
  }

  /** Fired, not paused, not running a step, no step pending. */
  #idle(): boolean {
    return this.#called && this.#paused === 0 && !this.#running && this.#next === this.#end;
  }

  #push(
    callback: Step | undefined,
    errback: Step | undefined,
    callbackArgs: unknown,
    errbackArgs: unknown,
  ): void {
    // A new array has room for one step: most chains have one or two, and an
    // empty array would grow to 17 slots at its first store.
    if (this.#steps === null) this.#steps = spareSteps.pop() ?? new Array(STEP);
    const steps = this.#steps;
    const end = this.#end;
    steps[end] = callback;
    steps[end + 1] = errback;
    steps[end + 2] = callbackArgs;
    steps[end + 3] = errbackArgs;
    this.#end = end + STEP;
  }

  /**
   * Run the pending steps, iteratively across Deferreds waiting on each other
   * (as Twisted's `_runCallbacks`), so long chains of returned Deferreds do
   * not grow the stack. `resumeStack` holds the Deferreds whose chain handed
   * its result on and must continue once the one being run is done.
   */
  #runCallbacks(): void {
    if (this.#running) return;
    let current: Deferred<unknown> = this;
    let resumeStack: Deferred<unknown>[] | null = null;
    for (;;) {
      const handedTo = current.#paused > 0 ? null : current.#runSteps();
      if (handedTo !== null) {
        // Run the Deferred the result went to first, as a nested call would;
        // meanwhile steps added to `current` wait their turn.
        current.#running = true;
        if (resumeStack === null) resumeStack = [];
        resumeStack.push(current);
        current = handedTo;
        continue;
      }
      if (current.#paused === 0) current.#noteEndOfChain();
      if (resumeStack === null || resumeStack.length === 0) return;
      current = resumeStack.pop()!;
      current.#running = false;
    }
  }

  /**
   * Run this chain's pending steps until it pauses, ends, or hands its result
   * to another Deferred (a waiting one, or one chained with `chainDeferred`):
   * that one is returned, to be run next.
   */
  #runSteps(): Deferred<unknown> | null {
    const steps = this.#steps;
    if (steps === null) return null;
    let failed = isFailure(this.#result);
    let handedTo: Deferred<unknown> | null = null;
    while (this.#next < this.#end) {
      const i = this.#next;
      this.#next = i + STEP;
      const fn = steps[failed ? i + 1 : i] as Step | undefined;
      const args = steps[failed ? i + 3 : i + 2] as unknown[] | undefined;
      steps[i] = steps[i + 1] = steps[i + 2] = steps[i + 3] = undefined;
      if (fn === undefined) continue;
      if (fn === SETTLE) {
        settle(this.#result, args as unknown as (v: unknown) => void);
        continue;
      }
      if (fn === CONTINUE) {
        // Hand the result to the Deferred waiting on this one.
        handedTo = args as unknown as Deferred<unknown>;
        handedTo.#result = this.#result;
        handedTo.#waitingOn = null;
        handedTo.#paused--;
        this.#result = undefined;
        this.#forgetUnhandled();
        break;
      }
      if (fn === CHAIN) {
        handedTo = this.#fireChained(args as unknown as Deferred<unknown>);
        failed = isFailure(this.#result);
        if (handedTo !== null) break;
        continue;
      }
      if (!this.#step(fn, args)) break;
      failed = isFailure(this.#result);
    }
    this.#compact();
    return handedTo;
  }

  /**
   * A `chainDeferred` step: fire `other` with this chain's result (which
   * becomes `undefined` here) and return it to be run; if `other` has
   * already fired, this chain fails with `AlreadyCalledError` instead (but
   * for the one late fire swallowed after a cancel).
   */
  #fireChained(other: Deferred<unknown>): Deferred<unknown> | null {
    if (other.#called) {
      try {
        other.#alreadyCalled();
        this.#result = undefined;
      } catch (error) {
        this.#result = new Failure(error);
      }
      return null;
    }
    other.#called = true;
    other.#result = this.#result;
    this.#result = undefined;
    this.#forgetUnhandled();
    return other;
  }

  /** Once every step has run, give the (now empty) array to the next chain. */
  #compact(): void {
    if (this.#next !== this.#end) return;
    this.#next = this.#end = 0;
    const steps = this.#steps!;
    this.#steps = null;
    if (steps.length <= MAX_SPARE_SLOTS && spareSteps.length < MAX_SPARE_ARRAYS)
      spareSteps.push(steps);
  }

  /** Run one step on the current result; false when the chain is now paused. */
  #step(fn: Step, args: unknown[] | undefined): boolean {
    let result: unknown;
    this.#running = true;
    try {
      result = args === undefined ? fn(this.#result) : fn(this.#result, ...args);
    } catch (error) {
      result = error instanceof Failure ? error : new Failure(error);
    }
    this.#running = false;
    this.#result = result;
    if (typeof result === 'object' ? result !== null : typeof result === 'function') {
      return this.#adopt(result as object);
    }
    return true;
  }

  /**
   * A step returned the object `result`: if it is a Deferred or thenable,
   * take its result now when it has one, else pause until it has. Returns
   * false when the chain is now paused.
   */
  #adopt(result: object): boolean {
    if (result instanceof Deferred) {
      if (result === this) {
        this.#result = new Failure(
          new TypeError('A callback returned the Deferred it was attached to'),
        );
        return true;
      }
      if (!result.#called || result.#paused > 0 || result.#waitingOn !== null) {
        this.#paused++;
        this.#waitingOn = result;
        result.#push(CONTINUE, CONTINUE, this, this);
        return false;
      }
      this.#result = result.#result;
      result.#result = undefined;
      result.#forgetUnhandled();
      return true;
    }
    let then: unknown;
    try {
      then = (result as { then?: unknown }).then;
    } catch (error) {
      this.#result = new Failure(error);
      return true;
    }
    if (typeof then !== 'function') return true;
    return this.#awaitThenable(result, then as PromiseLike<unknown>['then']);
  }

  /**
   * Pause on a non-Deferred thenable. Returns true (not paused) when it
   * settled synchronously, inside its own `then`.
   */
  #awaitThenable(thenable: object, then: PromiseLike<unknown>['then']): boolean {
    const token = { thenable };
    let inThen = true;
    let early: { result: unknown } | null = null;
    const settle = (result: unknown) => {
      if (this.#waitingOn !== token) return;
      this.#waitingOn = null;
      if (inThen) {
        early = { result };
        return;
      }
      this.#result = result;
      this.unpause();
    };
    this.#paused++;
    this.#waitingOn = token;
    try {
      then.call(
        thenable,
        (value) => settle(value),
        (error) => settle(new Failure(error)),
      );
    } catch (error) {
      settle(new Failure(error));
    }
    inThen = false;
    if (early === null) return false;
    this.#paused--;
    this.#result = (early as { result: unknown }).result;
    return true;
  }

  /** The chain ran out of steps: track a failure left unhandled at its end. */
  #noteEndOfChain(): void {
    const result = this.#result;
    if (isFailure(result) && !isHandled(result)) {
      if (this.#unhandled?.failure === result) return;
      this.#forgetUnhandled();
      this.#unhandled = trackUnhandled(this, result);
    } else if (this.#unhandled !== null) {
      this.#forgetUnhandled();
    }
  }

  #forgetUnhandled(): void {
    if (this.#unhandled !== null) {
      forgetUnhandled(this.#unhandled);
      this.#unhandled = null;
    }
  }
}

/** The abort listener of {@link Deferred.cancelOn}: cancels the Deferred once. */
class AbortWatch {
  aborted = false;
  constructor(
    readonly signal: AbortSignal,
    readonly deferred: Deferred<unknown>,
  ) {}

  handleEvent(): void {
    this.aborted = true;
    this.deferred.cancel();
  }
}

/** The chain reached `cancelOn`'s point: stop listening; a cancel caused by the abort becomes an AbortError. */
function endAbortWatch(result: unknown, watch: AbortWatch): unknown {
  watch.signal.removeEventListener('abort', watch);
  if (
    watch.aborted &&
    isFailure(result) &&
    result.value instanceof CancelledError &&
    !(result.value instanceof AbortError)
  ) {
    return new Failure(AbortError.fromSignal(watch.signal, result.value.message || undefined));
  }
  return result;
}

function ignoreCancel(): void {}

function notCallable(value: unknown): TypeError {
  return new TypeError(`A Deferred callback must be a function, not ${typeof value}`);
}

/** Twisted's `_cancelledToTimedOutError`: a `CancelledError` becomes a `TimeoutError`. */
function cancelledToTimeoutError(result: unknown, seconds: number): unknown {
  if (result instanceof Failure) {
    result.trap(CancelledError);
    throw new TimeoutError(`Deferred timed out after ${seconds} seconds`);
  }
  return result;
}

/** `promise` itself when there are no handlers, else `promise.then(onFulfilled, onRejected)`. */
function withHandlers<R1, R2>(
  promise: Promise<unknown>,
  onFulfilled: ((value: never) => R1 | PromiseLike<R1>) | null | undefined,
  onRejected: ((reason: unknown) => R2 | PromiseLike<R2>) | null | undefined,
): Promise<R1 | R2> {
  if (onFulfilled == null && onRejected == null) return promise as Promise<R1 | R2>;
  return promise.then(onFulfilled as never, onRejected);
}

/** A {@link SETTLE} step: hand `result` to the Promise's `resolve`, or a failure's error to its `reject`. */
function settle(result: unknown, resolveOrReject: (v: unknown) => void): void {
  if (isFailure(result)) {
    markHandled(result);
    resolveOrReject(result.value);
  } else resolveOrReject(result);
}
