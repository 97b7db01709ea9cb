// Tests: tests/protocols/policies/timeout-mixin.test.ts
import { type IDelayedCall, type IReactorTime, reactor } from '../../time/index.js';
import type { ITransport } from '../transport.js';

// biome-ignore lint/suspicious/noExplicitAny: a mixin base takes any constructor arguments
type Constructor<T> = abstract new (...args: any[]) => T;

/** What {@link TimeoutMixin} adds to a protocol class. */
export interface TimeoutMethods {
  /** The idle timeout in seconds, or `null` when none is set. */
  timeOut: number | null;
  /** The clock timers run on (default: the global `reactor`). */
  clock: IReactorTime;
  /** Schedule `fn` after `period` seconds on {@link clock}; override to schedule elsewhere. */
  callLater(period: number, fn: () => void): IDelayedCall;
  /** Restart the countdown from the full timeout (call it whenever there is traffic). */
  resetTimeout(): void;
  /**
   * Set the timeout to `period` seconds (`null` cancels it) and restart the
   * countdown; returns the previous timeout.
   */
  setTimeout(period: number | null): number | null;
  /** Called when the timeout expires; by default it closes the connection. */
  timeoutConnection(): void;
}

const timers = new WeakMap<object, IDelayedCall>();

/**
 * Add an idle timeout to a classic protocol class, as Twisted's
 * `policies.TimeoutMixin`: `setTimeout(seconds)` starts a countdown,
 * `resetTimeout()` restarts it (call it on traffic), `setTimeout(null)`
 * cancels it (call it in `connectionLost`), and when it expires
 * `timeoutConnection()` runs — `transport.loseConnection()` by default.
 * Timers run on `this.clock` (the `reactor` unless set, e.g. to a `Clock`).
 *
 * @example
 * ```ts
 * class Chat extends TimeoutMixin(LineReceiver) {
 *   override connectionMade() {
 *     this.setTimeout(60);
 *   }
 *   override dataReceived(data: Uint8Array) {
 *     this.resetTimeout();
 *     super.dataReceived(data);
 *   }
 *   override connectionLost() {
 *     this.setTimeout(null);
 *   }
 * }
 * ```
 */
export function TimeoutMixin<B extends Constructor<{ transport: ITransport | null }>>(
  Base: B,
): B & Constructor<TimeoutMethods> {
  abstract class Timeout extends Base implements TimeoutMethods {
    timeOut: number | null = null;
    clock: IReactorTime = reactor;

    callLater(period: number, fn: () => void): IDelayedCall {
      return this.clock.callLater(period, fn);
    }

    resetTimeout(): void {
      const call = timers.get(this);
      if (call !== undefined && this.timeOut !== null) call.reset(this.timeOut);
    }

    setTimeout(period: number | null): number | null {
      const previous = this.timeOut;
      this.timeOut = period;
      const call = timers.get(this);
      if (call !== undefined) {
        if (period === null) {
          if (call.active()) call.cancel();
          timers.delete(this);
        } else {
          call.reset(period);
        }
      } else if (period !== null) {
        timers.set(
          this,
          this.callLater(period, () => {
            timers.delete(this);
            this.timeoutConnection();
          }),
        );
      }
      return previous;
    }

    timeoutConnection(): void {
      this.transport?.loseConnection();
    }
  }
  return Timeout;
}
