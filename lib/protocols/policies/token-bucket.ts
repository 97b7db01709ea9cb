// Tests: tests/protocols/policies/throttle.test.ts, tests/protocols/policies/throttling-factory.test.ts
import type { IReactorTime } from '../../time/index.js';

/** Slack, in bytes, so that waiting exactly the delay a bucket gave is enough despite rounding. */
const EPSILON = 1e-6;

/**
 * A pace of `rate` bytes per second on `clock`, kept as a virtual schedule:
 * spending moves the time the bytes spent so far are paid for (`due`)
 * forward by their size over the rate. The credit is how far the clock is
 * ahead of `due`, negative while bytes are owed. After an idle spell it is
 * at most `burst` bytes; while bytes wait their turn (`backlogged`) it is
 * not capped, so a late wake-up catches up instead of losing the time.
 */
export class TokenBucket {
  #due: number;
  /** `burst` in seconds. */
  readonly #cap: number;

  /**
   * @param burst the most credit an idle spell earns, in bytes.
   * @param credit the credit to start with, in bytes (default `burst`).
   */
  constructor(
    readonly rate: number,
    readonly clock: IReactorTime,
    burst: number,
    credit = burst,
  ) {
    this.#cap = burst / rate;
    this.#due = clock.seconds() - credit / rate;
  }

  /** The whole bytes that may pass now. */
  available(backlogged = false): number {
    return Math.max(0, Math.floor(this.#credit(backlogged) + EPSILON));
  }

  /** Spend `bytes`; returns the seconds until what is owed is paid (≤ 0: nothing is owed). */
  spend(bytes: number, backlogged = false): number {
    const now = this.clock.seconds();
    this.#due = (backlogged ? this.#due : Math.max(this.#due, now - this.#cap)) + bytes / this.rate;
    return this.#due - now;
  }

  /** The seconds until `bytes` waiting their turn may pass. */
  delay(bytes: number): number {
    return Math.max(0, (bytes - this.#credit(true)) / this.rate);
  }

  #credit(backlogged: boolean): number {
    const ahead = this.clock.seconds() - this.#due;
    return (backlogged ? ahead : Math.min(ahead, this.#cap)) * this.rate;
  }
}
