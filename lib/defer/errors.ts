// Tests: tests/defer/deferred-errors.test.ts
import { type Failure, setErrorName, WovenError } from '../failure/index.js';

/**
 * Thrown by `callback`/`errback` on a {@link Deferred} that has already fired.
 *
 * @example
 * ```ts
 * const d = succeed(1);
 * try { d.callback(2); } catch (e) { e instanceof AlreadyCalledError; } // true
 * ```
 */
export class AlreadyCalledError extends WovenError {
  static {
    setErrorName(this, 'AlreadyCalledError', 'ERR_ALREADY_CALLED');
  }
}

/**
 * The error a cancelled {@link Deferred} fails with (unless its canceller
 * fired it some other way).
 *
 * @example
 * ```ts
 * d.addErrback((f) => { f.trap(CancelledError); return 'gave up'; });
 * d.cancel();
 * ```
 */
export class CancelledError extends WovenError {
  static {
    setErrorName(this, 'CancelledError', 'ERR_CANCELLED');
  }
}

/**
 * The error of an operation cancelled through an `AbortSignal` (`cancelOn`,
 * any `{ signal }` option): a {@link CancelledError}, so Twisted-style code
 * still traps it (`failure.trap(CancelledError)`), that looks aborted to the
 * rest of the ecosystem, as Node's own `AbortError`: `name` is
 * `'AbortError'`, `code` is `'ABORT_ERR'`, and `cause` is the signal's
 * `reason`.
 *
 * @example
 * ```ts
 * const d = queue.get({ signal: AbortSignal.timeout(1000) });
 * d.addErrback((f) => {
 *   f.trap(CancelledError); // also an AbortError: f.value.cause is the TimeoutError
 * });
 * ```
 */
export class AbortError extends CancelledError {
  /** @param message as Node's: "The operation was aborted" unless given. */
  constructor(message = 'The operation was aborted', options?: ErrorOptions) {
    super(message, options);
  }

  /** The error for an operation cancelled because `signal` aborted (`cause`: its reason). */
  static fromSignal(signal: AbortSignal, message?: string): AbortError {
    return new AbortError(message, { cause: signal.reason });
  }

  static {
    setErrorName(this, 'AbortError', 'ABORT_ERR');
  }
}

/** The error a {@link Deferred} fails with when `addTimeout` expires. */
export class TimeoutError extends WovenError {
  static {
    setErrorName(this, 'TimeoutError', 'ERR_TIMEOUT');
  }
}

/**
 * The error `gatherResults` (and a `DeferredList` with `fireOnOneErrback`)
 * fails with: the first input that failed, as `failure`, and its position in
 * the input list, as `index`.
 */
export class FirstError extends WovenError {
  /** The failure of the first input Deferred that failed. */
  readonly failure: Failure;
  /** The position of that Deferred in the input list. */
  readonly index: number;

  constructor(failure: Failure, index: number) {
    super(`FirstError[#${index}, ${failure.toString()}]`);
    this.failure = failure;
    this.index = index;
  }

  static {
    setErrorName(this, 'FirstError', 'ERR_FIRST_ERROR');
  }
}

/** The error `race` fails with when every input fails: one failure per input. */
export class FailureGroup extends WovenError {
  /** The failures, in input order. */
  readonly failures: Failure[];

  constructor(failures: Failure[], message = `${failures.length} failures`) {
    super(message);
    this.failures = failures;
  }

  static {
    setErrorName(this, 'FailureGroup', 'ERR_FAILURE_GROUP');
  }
}

/** Thrown by `DeferredQueue.put` when the queue already holds `size` items. */
export class QueueOverflow extends WovenError {
  static {
    setErrorName(this, 'QueueOverflow', 'ERR_QUEUE_OVERFLOW');
  }
}

/** Thrown by `DeferredQueue.get` when `backlog` gets are already waiting. */
export class QueueUnderflow extends WovenError {
  static {
    setErrorName(this, 'QueueUnderflow', 'ERR_QUEUE_UNDERFLOW');
  }
}
