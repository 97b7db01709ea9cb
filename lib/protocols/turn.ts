// Internal: event-loop turns, the unit of woven's fairness bound.
// Tests: tests/protocols/fairness.test.ts
//
// A connection may do a bounded amount of work per turn of the event loop
// (TURN_BUDGET_BYTES written, or TURN_BUDGET_STEPS generator steps); past
// that it waits for the next turn, so timers, signals and other connections
// get theirs. One `setImmediate` per turn serves every connection.

/**
 * Bytes one connection may write in one event-loop turn before it waits for
 * the next: 256 KiB, four of Node's 64 KiB reads (Twisted writes up to
 * 128 KiB per reactor iteration). A bulk stream within it echoes each chunk
 * as it arrives instead of pausing its reads until the next turn.
 */
export const TURN_BUDGET_BYTES = 262144;

/** Generator steps (yields) one stream connection may take in one turn before it waits. */
export const TURN_BUDGET_STEPS = 1024;

let turn = 0;
let scheduled = false;
let waiting: (() => void)[] = [];
let resolveNext: (() => void) | null = null;
let nextPromise: Promise<void> | null = null;

function tick(): void {
  scheduled = false;
  turn++;
  const run = waiting;
  waiting = [];
  const resolve = resolveNext;
  resolveNext = null;
  nextPromise = null;
  for (const fn of run) fn();
  resolve?.();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(tick);
}

/** Run `fn` at the start of the next turn (after timers and I/O of this one). */
export function onNextTurn(fn: () => void): void {
  waiting.push(fn);
  schedule();
}

/**
 * Owners with work due at the next turn, all handled there in one pass: one
 * entry in the turn's list serves them all (every transport's write flush,
 * say) rather than a callback each. An owner added twice is run twice: it
 * keeps its own "already due" flag.
 */
export class DueAtNextTurn<T> {
  #due: T[] = [];
  readonly #run: (owner: T) => void;
  readonly #runAll = (): void => {
    const due = this.#due;
    this.#due = [];
    for (const owner of due) this.#run(owner);
  };

  /** @param run what to do for each owner at the next turn. */
  constructor(run: (owner: T) => void) {
    this.#run = run;
  }

  /** Run `owner` at the next turn. */
  add(owner: T): void {
    if (this.#due.length === 0) onNextTurn(this.#runAll);
    this.#due.push(owner);
  }
}

/** A promise (one per turn, shared) that resolves at the next turn. */
export function nextTurn(): Promise<void> {
  if (nextPromise === null) {
    nextPromise = new Promise((resolve) => {
      resolveNext = resolve;
    });
    schedule();
  }
  return nextPromise;
}

/**
 * Work done in the current turn by one owner (a connection): bytes and
 * steps, reset when the turn changes. Counting schedules nothing: an owner
 * past the budget waits for {@link nextTurn}, which marks the turn, so a
 * lightly loaded loop runs no extra callback per turn. Until then the counts
 * may span several turns, which at worst makes an owner wait one turn early.
 */
export class TurnBudget {
  #turn = -1;
  #bytes = 0;
  #steps = 0;

  /** Count `bytes` written and `steps` taken; returns true while still within the budget. */
  spend(bytes: number, steps = 0): boolean {
    if (this.#turn !== turn) {
      this.#turn = turn;
      this.#bytes = 0;
      this.#steps = 0;
    }
    this.#bytes += bytes;
    this.#steps += steps;
    return this.#bytes < TURN_BUDGET_BYTES && this.#steps < TURN_BUDGET_STEPS;
  }

  /** True when this turn's budget is used up (it is renewed at the next turn). */
  get exhausted(): boolean {
    return (
      this.#turn === turn && (this.#bytes >= TURN_BUDGET_BYTES || this.#steps >= TURN_BUDGET_STEPS)
    );
  }
}
