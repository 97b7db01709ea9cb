// Tests: tests/defer/deferred-list.test.ts
import type { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import { Deferred } from './deferred.js';
import { FirstError } from './errors.js';
import { ensureDeferred } from './functions.js';

const log = new Logger('woven.defer.deferred-list');

/**
 * Cancel each of `deferreds` but `except`; a canceller that throws is logged
 * and the others are still cancelled. Shared by the companions.
 */
export function cancelEach(
  deferreds: Iterable<Deferred<unknown>>,
  except?: Deferred<unknown>,
): void {
  for (const d of deferreds) {
    if (d === except) continue;
    try {
      d.cancel();
    } catch (e) {
      log.failure('Exception raised from user supplied canceller', e);
    }
  }
}

/** What a {@link DeferredList} (or `gatherResults`, `race`) accepts: Deferreds or any thenable. */
export type DeferredInput<T> = Deferred<T> | PromiseLike<T>;

/** One entry of a {@link DeferredList}'s result: `[true, value]` or `[false, failure]`. */
export type DeferredListEntry<T> = [success: true, result: T] | [success: false, failure: Failure];

/** Options of a {@link DeferredList}, as Twisted's keyword arguments. */
export interface DeferredListOptions {
  /** Fire with `[result, index]` as soon as one input succeeds. */
  fireOnOneCallback?: boolean;
  /** Fail with {@link FirstError} as soon as one input fails. */
  fireOnOneErrback?: boolean;
  /**
   * Turn each input's failure into an `undefined` result on that input once
   * the list has seen it, so it is not reported as unhandled.
   */
  consumeErrors?: boolean;
}

/** The type of option `K` in options `O` (`false` when absent). */
type Flag<O, K extends keyof DeferredListOptions> = K extends keyof O ? O[K] : false;

/** Whether option `K` is surely true, surely not, or either, in options `O`. */
type FlagState<O, K extends keyof DeferredListOptions> = [Flag<O, K>] extends [true]
  ? 'on'
  : [Flag<O, K>] extends [false | undefined]
    ? 'off'
    : 'either';

/**
 * The result type of a {@link DeferredList} built with options `O`: the
 * entry list without `fireOnOneCallback`; `[result, index]` with both
 * `fireOnOneCallback` and `fireOnOneErrback`; either with `fireOnOneCallback`
 * alone (when every input fails, the list fires with the entries, as in
 * Twisted), or when the options are only known to be booleans.
 */
export type DeferredListResult<T, O extends DeferredListOptions> =
  FlagState<O, 'fireOnOneCallback'> extends 'off'
    ? DeferredListEntry<T>[]
    : FlagState<O, 'fireOnOneCallback'> extends 'on'
      ? FlagState<O, 'fireOnOneErrback'> extends 'on'
        ? [result: T, index: number]
        : [result: T, index: number] | DeferredListEntry<T>[]
      : [result: T, index: number] | DeferredListEntry<T>[];

/**
 * Collects the results of several Deferreds, as Twisted's `DeferredList`:
 * a Deferred that fires, once every input has fired, with one
 * `[success, resultOrFailure]` entry per input, in input order.
 *
 * With `fireOnOneCallback` it fires with `[result, index]` of the first input
 * to succeed; with `fireOnOneErrback` it fails with a {@link FirstError} for the
 * first input to fail. An empty list fires at once with `[]` (unless
 * `fireOnOneCallback` is set: then it never fires, as in Twisted).
 * Cancelling it before it fires cancels every input.
 *
 * The list adds a callback pair to each input: callbacks added to an input
 * before see their own results, callbacks added after see what the list
 * passes on (the same result, or `undefined` for a failure with `consumeErrors`).
 *
 * @example
 * ```ts
 * const dl = new DeferredList([fetchA(), fetchB()], { consumeErrors: true });
 * dl.addCallback((entries) => {
 *   for (const [ok, value] of entries) console.log(ok ? value : value.getErrorMessage());
 * });
 * ```
 */
export class DeferredList<
  T,
  O extends DeferredListOptions = { fireOnOneCallback?: false },
> extends Deferred<DeferredListResult<T, O>> {
  readonly #inputs: Deferred<T>[];
  readonly #entries: (DeferredListEntry<T> | undefined)[];
  readonly #fireOnOneCallback: boolean;
  readonly #fireOnOneErrback: boolean;
  readonly #consumeErrors: boolean;
  #finished = 0;

  constructor(deferreds: Iterable<DeferredInput<T>>, options?: O) {
    super();
    const inputs = Array.from(deferreds, (d) => ensureDeferred(d));
    this.#inputs = inputs;
    this.#entries = new Array(inputs.length).fill(undefined);
    this.#fireOnOneCallback = options?.fireOnOneCallback ?? false;
    this.#fireOnOneErrback = options?.fireOnOneErrback ?? false;
    this.#consumeErrors = options?.consumeErrors ?? false;
    if (inputs.length === 0 && !this.#fireOnOneCallback) {
      this.callback([] as DeferredListEntry<T>[] as DeferredListResult<T, O>);
    }
    inputs.forEach((d, index) => {
      d.addCallbacks(
        (result: T) => this.#onResult([true, result], index),
        (failure: Failure) => this.#onResult([false, failure], index),
      );
    });
  }

  /** The number of inputs that have fired so far. */
  get finishedCount(): number {
    return this.#finished;
  }

  /**
   * The entries gathered so far, one per input, `undefined` where the input
   * has not fired yet (Twisted's `resultList`). A copy.
   */
  get resultList(): (DeferredListEntry<T> | undefined)[] {
    return [...this.#entries];
  }

  /**
   * Cancel every input if this list has not fired yet (an error thrown by an
   * input's canceller is logged and the others are still cancelled);
   * otherwise behave as {@link Deferred.cancel}.
   */
  override cancel(): void {
    if (this.called) {
      super.cancel();
      return;
    }
    cancelEach(this.#inputs);
  }

  #onResult(entry: DeferredListEntry<T>, index: number): unknown {
    this.#entries[index] = entry;
    this.#finished += 1;
    if (!this.called) this.#maybeFire(entry, index);
    return !entry[0] && this.#consumeErrors ? undefined : entry[1];
  }

  #maybeFire(entry: DeferredListEntry<T>, index: number): void {
    if (entry[0] && this.#fireOnOneCallback) {
      this.callback([entry[1], index] as DeferredListResult<T, O>);
    } else if (!entry[0] && this.#fireOnOneErrback) {
      this.errback(new FirstError(entry[1], index));
    } else if (this.#finished === this.#entries.length) {
      this.callback(this.#entries as DeferredListEntry<T>[] as DeferredListResult<T, O>);
    }
  }
}
