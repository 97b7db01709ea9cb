// Tests: tests/protocols/policies/throttling-factory.test.ts
import type { IDelayedCall, IReactorTime } from '../../time/index.js';
import { TokenBucket } from './token-bucket.js';

/** One connection's way through a {@link Bandwidth}: where its bytes go, and how to hold it back. */
export interface Lane {
  /** Hand `data` on (to the transport, or to the protocol). */
  pass(data: Uint8Array): void;
  /** `true` when the lane starts holding bytes back, `false` once they all passed. */
  hold(on: boolean): void;
}

/** The pacing step, in seconds: held bytes are released a step's worth at a time. */
const STEP = 0.1;

/**
 * Bytes per second shared by many lanes, paced on a {@link TokenBucket}:
 * a lane's bytes pass at once while the pace allows (a step's worth of
 * credit after an idle spell); the rest is held, in order, and released
 * every step (all that is due, should the wake-up be late), the lanes
 * taking turns, until all of it passed.
 * A lane is told when it starts and stops holding, to pause its source.
 */
export class Bandwidth {
  readonly #bucket: TokenBucket;
  /** A step's worth of bytes, at least 1. */
  readonly #step: number;
  readonly #passed: (bytes: number) => void;
  /** The lanes holding bytes, in turn order, each with its chunks. */
  readonly #held = new Map<Lane, Uint8Array[]>();
  #heldBytes = 0;
  #timer: IDelayedCall | undefined;

  /** @param passed told the size of every chunk that passed. */
  constructor(rate: number, clock: IReactorTime, passed: (bytes: number) => void) {
    this.#step = Math.max(1, Math.floor(rate * STEP));
    this.#bucket = new TokenBucket(rate, clock, this.#step);
    this.#passed = passed;
  }

  /** Send `data` through `lane`: what the pace allows at once, the rest in turn, in order. */
  offer(lane: Lane, data: Uint8Array): void {
    const held = this.#held.get(lane);
    if (held !== undefined) {
      held.push(data);
      this.#heldBytes += data.byteLength;
      return;
    }
    const now = this.#held.size > 0 ? 0 : Math.min(data.byteLength, this.#bucket.available());
    if (now === data.byteLength) {
      this.#pass(lane, data, false);
      return;
    }
    if (now > 0) this.#pass(lane, data.subarray(0, now), false);
    this.#held.set(lane, [data.subarray(now)]);
    this.#heldBytes += data.byteLength - now;
    lane.hold(true);
    this.#arm();
  }

  /** Whether `lane` holds bytes back. */
  holds(lane: Lane): boolean {
    return this.#held.has(lane);
  }

  /** Pass everything `lane` holds at once, whatever the pace; the lane is not told (see {@link Lane.hold}). */
  flush(lane: Lane): void {
    for (const chunk of this.#take(lane)) this.#pass(lane, chunk, true);
  }

  /** Forget what `lane` holds (its connection is gone). */
  drop(lane: Lane): void {
    this.#take(lane);
  }

  /** Take `lane` out of the turns, with its chunks. */
  #take(lane: Lane): Uint8Array[] {
    const chunks = this.#held.get(lane)?.splice(0) ?? [];
    this.#held.delete(lane);
    for (const chunk of chunks) this.#heldBytes -= chunk.byteLength;
    if (this.#held.size === 0 && this.#timer?.active()) this.#timer.cancel();
    if (this.#held.size === 0) this.#timer = undefined;
    return chunks;
  }

  #pass(lane: Lane, chunk: Uint8Array, backlogged: boolean): void {
    this.#bucket.spend(chunk.byteLength, backlogged);
    this.#passed(chunk.byteLength);
    lane.pass(chunk);
  }

  /** Wake up once a step's worth (or all that is held, if less) may pass. */
  #arm(): void {
    if (this.#timer !== undefined || this.#held.size === 0) return;
    const wait = this.#bucket.delay(Math.min(this.#step, this.#heldBytes));
    this.#timer = this.#bucket.clock.callLater(wait, () => this.#release());
  }

  /** Release what the pace allows now, the lanes taking turns, each an equal share. */
  #release(): void {
    this.#timer = undefined;
    let budget = this.#bucket.available(true);
    const share = Math.max(1, Math.floor(budget / this.#held.size));
    while (budget > 0 && this.#held.size > 0) {
      const [lane, chunks] = this.#held.entries().next().value!;
      this.#passSome(lane, chunks, Math.min(share, budget));
      budget = this.#bucket.available(true);
    }
    this.#arm();
  }

  /** Pass up to `bytes` of `lane`'s `chunks`; it goes to the back of the turns if some are left. */
  #passSome(lane: Lane, chunks: Uint8Array[], bytes: number): void {
    for (let left = bytes; left > 0 && chunks.length > 0; ) {
      const chunk = chunks[0]!;
      const part = chunk.byteLength <= left ? chunks.shift()! : chunk.subarray(0, left);
      if (part !== chunk) chunks[0] = chunk.subarray(left);
      left -= part.byteLength;
      this.#heldBytes -= part.byteLength;
      this.#pass(lane, part, true);
    }
    if (this.#held.get(lane) !== chunks) return; // flushed or dropped meanwhile
    this.#held.delete(lane);
    if (chunks.length > 0) this.#held.set(lane, chunks);
    else lane.hold(false);
  }
}
