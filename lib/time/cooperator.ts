import { Deferred, type IReactorTime, isThenable } from '../defer/index.js';
import { Failure } from '../failure/index.js';
import { bindMethods } from './bind-methods.js';
import {
  NotPaused,
  type SchedulerError,
  SchedulerStopped,
  TaskDone,
  TaskFailed,
  TaskStopped,
} from './errors.js';
import { reactor } from './reactor.js';

/** What a cooperative task iterates: a sync or async iterator (or iterable). */
export type CooperativeIterator<T = unknown> =
  | Iterator<T>
  | Iterable<T>
  | AsyncIterator<T>
  | AsyncIterable<T>;

/** Options of {@link Cooperator}; all optional. */
export interface CooperatorOptions {
  /**
   * Called at the start of each tick; returns a predicate that says when the
   * tick should end. Defaults to a 10 ms time slice.
   */
  terminationPredicateFactory?: () => () => boolean;
  /**
   * Schedules the next tick, returning something with `cancel()` (such as a
   * `DelayedCall`); defaults to `clock.callLater(0, tick)`.
   */
  scheduler?: (tick: () => void) => {
    /** Unschedule the tick. */
    cancel(): void;
  };
  /** The clock for the default scheduler (default: the reactor). */
  clock?: IReactorTime;
  /** Start stepping tasks at once (default), or only after `start()`. */
  started?: boolean;
}

/** Longest time a tick of the default cooperator works before yielding to I/O (seconds). */
const MAX_SLICE = 0.01;

function timeSlice(): () => boolean {
  const end = performance.now() + MAX_SLICE * 1000;
  return () => performance.now() >= end;
}

function toIterator<T>(source: CooperativeIterator<T>): Iterator<T> | AsyncIterator<T> {
  if (typeof (source as Iterator<T>).next === 'function') return source as Iterator<T>;
  if (typeof (source as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
    return (source as AsyncIterable<T>)[Symbol.asyncIterator]();
  }
  if (typeof (source as Iterable<T>)[Symbol.iterator] === 'function')
    return (source as Iterable<T>)[Symbol.iterator]();
  throw new TypeError('cooperate() needs an iterator or an iterable');
}

/** Module-internal task bookkeeping of a cooperator (set in its static block). */
const coopInternals = {} as {
  add(cooperator: Cooperator, task: CooperativeTask): void;
  remove(cooperator: Cooperator, task: CooperativeTask): void;
};

/** Module-internal access to a task's steps (set in its static block). */
const taskInternals = {} as {
  completeWith(task: CooperativeTask, state: SchedulerError, result: unknown): void;
  oneWorkUnit(task: CooperativeTask): void;
};

/**
 * A task running inside a {@link Cooperator} (as Twisted's
 * `CooperativeTask`): one `next()` of its iterator per unit of work. A
 * yielded Deferred or Promise pauses the task until it settles (a failure
 * fails the task). Made by `cooperate()`.
 */
export class CooperativeTask<T = unknown> {
  readonly #source: CooperativeIterator<T>;
  readonly #iterator: Iterator<T> | AsyncIterator<T>;
  readonly #cooperator: Cooperator;
  #deferreds: Deferred<CooperativeIterator<T>>[] = [];
  #pauseCount = 0;
  #completionState: SchedulerError | undefined;
  #completionResult: CooperativeIterator<T> | Failure | undefined;

  static {
    Object.assign(taskInternals, {
      completeWith: (task: CooperativeTask, state: SchedulerError, result: unknown) =>
        task.#completeWith(state, result as Failure),
      oneWorkUnit: (task: CooperativeTask) => task.#oneWorkUnit(),
    });
  }

  /** Usually made by `Cooperator.cooperate()`: adds a task for `iterator` to `cooperator`. */
  constructor(iterator: CooperativeIterator<T>, cooperator: Cooperator) {
    this.#source = iterator;
    this.#iterator = toIterator(iterator);
    this.#cooperator = cooperator;
    bindMethods(this as CooperativeTask<T>, ['whenDone', 'pause', 'resume', 'stop']);
    coopInternals.add(cooperator, this as CooperativeTask);
  }

  /**
   * A Deferred that fires with the iterator once it is exhausted, or fails
   * with its error, with `TaskStopped` if the task is stopped, or with
   * `SchedulerStopped` if its cooperator is.
   */
  whenDone(): Deferred<CooperativeIterator<T>> {
    const d = new Deferred<CooperativeIterator<T>>();
    if (this.#completionState === undefined) this.#deferreds.push(d);
    else d.callback(this.#completionResult as CooperativeIterator<T>);
    return d;
  }

  /**
   * Stop doing work until {@link resume}; pauses nest. Throws `TaskDone`,
   * `TaskStopped` or `TaskFailed` once the task has finished.
   */
  pause(): void {
    this.#checkFinish();
    this.#pauseCount++;
    if (this.#pauseCount === 1) coopInternals.remove(this.#cooperator, this as CooperativeTask);
  }

  /** Undo one {@link pause}. Throws `NotPaused` if the task is not paused. */
  resume(): void {
    if (this.#pauseCount === 0) throw new NotPaused('this task is not paused');
    this.#pauseCount--;
    if (this.#pauseCount === 0 && this.#completionState === undefined) {
      coopInternals.add(this.#cooperator, this as CooperativeTask);
    }
  }

  /**
   * Stop the task for good: `whenDone()` Deferreds fail with `TaskStopped`.
   * Throws `TaskDone`/`TaskStopped`/`TaskFailed` if it had already finished.
   */
  stop(): void {
    this.#checkFinish();
    const error = new TaskStopped('the task was stopped');
    this.#completeWith(error, new Failure(error));
  }

  /** Finish with `state` (raised by later calls) and fire `whenDone()` with `result`. */
  #completeWith(state: SchedulerError, result: CooperativeIterator<T> | Failure): void {
    this.#completionState = state;
    this.#completionResult = result;
    if (this.#pauseCount === 0) coopInternals.remove(this.#cooperator, this as CooperativeTask);
    const deferreds = this.#deferreds;
    this.#deferreds = [];
    for (const d of deferreds) d.callback(result);
  }

  /** Do one unit of work: one `next()` of the iterator. */
  #oneWorkUnit(): void {
    let step: IteratorResult<T> | PromiseLike<IteratorResult<T>>;
    try {
      step = this.#iterator.next();
    } catch (error) {
      this.#completeWith(new TaskFailed('the task failed'), new Failure(error));
      return;
    }
    if (isThenable(step)) {
      // An async iterator: wait for its step, then handle it like a sync one.
      this.#waitFor(step, (result) => this.#handleStep(result as IteratorResult<T>, false));
    } else {
      this.#handleStep(step, true);
    }
  }

  #handleStep(step: IteratorResult<T>, waitForValue: boolean): void {
    if (step.done) {
      this.#completeWith(new TaskDone('the task is done'), this.#source);
    } else if (waitForValue && isThenable(step.value)) {
      this.#waitFor(step.value, () => {});
    }
  }

  /** Pause until `thenable` settles; then run `then` and resume, or fail the task. */
  #waitFor(thenable: PromiseLike<unknown>, then: (value: unknown) => void): void {
    this.pause();
    const onValue = (value: unknown): void => {
      if (this.#completionState === undefined) then(value);
      this.resume();
    };
    const onFailure = (reason: unknown): void => {
      if (this.#completionState !== undefined) return;
      this.#completeWith(
        new TaskFailed('the task failed'),
        reason instanceof Failure ? reason : new Failure(reason),
      );
    };
    if (thenable instanceof Deferred) thenable.addCallbacks(onValue, onFailure);
    else thenable.then(onValue, onFailure);
  }

  #checkFinish(): void {
    if (this.#completionState !== undefined) throw this.#completionState;
  }
}

/** Finish `task` because its cooperator was stopped. */
function schedulerStopped(task: CooperativeTask): void {
  const error = new SchedulerStopped('the cooperator was stopped');
  taskInternals.completeWith(task, error, new Failure(error));
}

/**
 * Runs iterators a step at a time, sharing time between them in slices so
 * that long jobs do not starve I/O, as twisted.internet.task.Cooperator.
 * A yielded Deferred or Promise pauses that task until it settles.
 *
 * @example
 * ```ts
 * const coop = new Cooperator();
 * function* work() { for (let i = 0; i < 1e6; i++) { crunch(i); yield; } }
 * await coop.coiterate(work());
 * ```
 */
export class Cooperator {
  #tasks: CooperativeTask[] = [];
  #metarator: Iterator<CooperativeTask> = [][Symbol.iterator]();
  readonly #terminationPredicateFactory: () => () => boolean;
  readonly #scheduler: (tick: () => void) => { cancel(): void };
  #delayedCall: { cancel(): void } | undefined;
  #stopped = false;
  #started: boolean;
  #mustScheduleOnStart = false;

  static {
    Object.assign(coopInternals, {
      add: (c: Cooperator, task: CooperativeTask) => c.#addTask(task),
      remove: (c: Cooperator, task: CooperativeTask) => c.#removeTask(task),
    });
  }

  constructor(options: CooperatorOptions = {}) {
    this.#terminationPredicateFactory = options.terminationPredicateFactory ?? timeSlice;
    const clock = options.clock;
    this.#scheduler = options.scheduler ?? ((tick) => (clock ?? reactor).callLater(0, tick));
    this.#started = options.started ?? true;
    bindMethods(this as Cooperator, ['cooperate', 'coiterate', 'start', 'stop']);
  }

  /** True once started and until stopped. */
  get running(): boolean {
    return this.#started && !this.#stopped;
  }

  /** Start running `iterator` as a cooperative task. */
  cooperate<T>(iterator: CooperativeIterator<T>): CooperativeTask<T> {
    return new CooperativeTask(iterator, this);
  }

  /**
   * Like {@link cooperate}, returning a Deferred that fires (with the
   * iterator) when the task is done.
   */
  coiterate<T>(
    iterator: CooperativeIterator<T>,
    doneDeferred?: Deferred<CooperativeIterator<T>>,
  ): Deferred<CooperativeIterator<T>> {
    const done = doneDeferred ?? new Deferred<CooperativeIterator<T>>();
    this.cooperate(iterator).whenDone().chainDeferred(done);
    return done;
  }

  /** Begin (or resume after `stop()`) scheduling steps. */
  start(): void {
    this.#stopped = false;
    this.#started = true;
    if (this.#mustScheduleOnStart) {
      this.#mustScheduleOnStart = false;
      this.#reschedule();
    }
  }

  /**
   * Stop scheduling steps: every task's `whenDone()` fails with
   * `SchedulerStopped`, and tasks added later fail at once.
   */
  stop(): void {
    this.#stopped = true;
    const tasks = this.#tasks;
    for (const task of [...tasks]) {
      schedulerStopped(task);
    }
    this.#tasks = [];
    this.#cancelTick();
  }

  #addTask(task: CooperativeTask): void {
    this.#tasks.push(task);
    if (this.#stopped) {
      schedulerStopped(task);
    } else {
      this.#reschedule();
    }
  }

  #removeTask(task: CooperativeTask): void {
    const index = this.#tasks.indexOf(task);
    if (index >= 0) this.#tasks.splice(index, 1);
    if (this.#tasks.length === 0) this.#cancelTick();
  }

  #cancelTick(): void {
    const call = this.#delayedCall;
    this.#delayedCall = undefined;
    call?.cancel();
  }

  *#tasksWhileNotStopped(): Generator<CooperativeTask> {
    const terminator = this.#terminationPredicateFactory();
    while (this.#tasks.length > 0) {
      for (let next = this.#metarator.next(); !next.done; next = this.#metarator.next()) {
        yield next.value;
        if (terminator()) return;
      }
      this.#metarator = this.#tasks[Symbol.iterator]();
    }
  }

  readonly #tick = (): void => {
    this.#delayedCall = undefined;
    for (const task of this.#tasksWhileNotStopped()) taskInternals.oneWorkUnit(task);
    this.#reschedule();
  };

  #reschedule(): void {
    if (!this.#started) {
      this.#mustScheduleOnStart = true;
      return;
    }
    if (this.#delayedCall === undefined && this.#tasks.length > 0) {
      this.#delayedCall = this.#scheduler(this.#tick);
    }
  }
}

/** The process-wide cooperator used by {@link cooperate} and {@link coiterate}. */
export const defaultCooperator: Cooperator = new Cooperator();

/**
 * Run `iterator` as a cooperative task on the default cooperator (sharing
 * time with every other task in 10 ms slices, yielding to I/O in between).
 *
 * @example
 * ```ts
 * const task = cooperate((function* () { for (const row of rows) { save(row); yield; } })());
 * await task.whenDone();
 * ```
 */
export function cooperate<T>(iterator: CooperativeIterator<T>): CooperativeTask<T> {
  return defaultCooperator.cooperate(iterator);
}

/** Iterate `iterator` on the default cooperator; the Deferred fires with it when done. */
export function coiterate<T>(iterator: CooperativeIterator<T>): Deferred<CooperativeIterator<T>> {
  return defaultCooperator.coiterate(iterator);
}
