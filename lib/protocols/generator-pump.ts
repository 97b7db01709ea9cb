// Internal: drives a stream protocol's generator, one step at a time.
// Tests: tests/protocols/stream-connection.test.ts, tests/protocols/fairness.test.ts
import { Logger } from '../log/index.js';
import type { Data } from './transport.js';

const log = new Logger('woven.protocols');

/**
 * Drives a generator handler: asks for each value, hands it to the
 * connection in order, and waits whenever the connection says to
 * (backpressure, this turn's budget spent). The connection supplies the
 * hooks (a subclass: one object per running generator, and callbacks made
 * once per generator rather than once per step).
 */
export abstract class GeneratorPump {
  readonly #gen: AsyncIterator<Data>;
  readonly #stepped: (step: IteratorResult<Data>) => void;
  readonly #failed: (e: unknown) => void;
  readonly #resume: () => void;

  /** @param gen the generator's iterator. */
  constructor(gen: AsyncIterator<Data>) {
    this.#gen = gen;
    this.#stepped = (step) => this.#onStep(step);
    this.#failed = (e) => this.failed(e);
    this.#resume = () => this.next();
  }

  /** True once the connection is gone (its loss ends the generator). */
  protected abstract get gone(): boolean;
  /** True once the connection's write side is closed. */
  protected abstract get writeClosed(): boolean;
  /** What to wait for before the next step (writing paused, the turn's budget spent), or `null`. */
  protected abstract gate(): Promise<void> | null;
  /** The generator ran up to its next `await` (what it yielded may go out soon). */
  protected abstract ran(): void;
  /** Take a yielded value. */
  protected abstract take(value: Data): void;
  /** The generator returned. */
  protected abstract returned(): void;
  /** The generator threw (or its value could not be taken). */
  protected abstract failed(error: unknown): void;
  /** The pump stopped the generator itself (it yielded after the close). */
  protected abstract stopped(): void;

  /** Ask the generator for its next value, unless the connection says to wait or is gone. */
  next(): void {
    if (this.gone) return;
    const gate = this.gate();
    if (gate !== null) {
      gate.then(this.#resume);
      return;
    }
    let next: Promise<IteratorResult<Data>>;
    try {
      next = Promise.resolve(this.#gen.next());
    } catch (e) {
      this.failed(e);
      return;
    }
    // The generator has run up to its next await. If that was a read with
    // nothing to read, the batch went out; otherwise it is waiting on
    // something else (or yielded again) and the batch goes out soon.
    this.ran();
    next.then(this.#stepped, this.#failed);
  }

  /** Call the generator's `return()` (its `finally` runs), logging what it throws unless it is `lost`. */
  finish(lost: unknown): void {
    const gen = this.#gen;
    if (!gen.return) return;
    Promise.resolve()
      .then(() => gen.return!())
      .catch((e: unknown) => {
        if (e !== lost) log.failure('stream protocol failed while closing', e);
      });
  }

  #onStep(step: IteratorResult<Data>): void {
    if (this.gone) return;
    try {
      if (step.done) {
        this.returned();
        return;
      }
      if (this.writeClosed) {
        // Yielding after close()/end(): say so, and end the generator (its finally runs).
        log.warn('stream protocol yielded after its connection was closed; stopping it');
        this.stopped();
        this.finish(null);
        return;
      }
      this.take(step.value);
    } catch (e) {
      this.failed(e);
      return;
    }
    this.next();
  }
}
