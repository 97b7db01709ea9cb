import { Logger } from '../log/index.js';
import { bindMethods } from './bind-methods.js';
import {
  checkCallable,
  checkDelay,
  DelayedCall,
  type DelayedCallOwner,
  delayedCallInternals,
  NO_ARGS,
} from './delayed-call.js';
import { ReactorAlreadyRunning, ReactorNotRunning } from './errors.js';
import type { IReactorTime } from '../defer/index.js';
import {
  type SystemEventTriggerId,
  type SystemEventType,
  ThreePhaseEvent,
  type TriggerPhase,
} from './system-event.js';
import { TimerQueue } from './timer-queue.js';

const log = new Logger('woven.time');

/** Node's longest timer delay (ms); longer waits re-arm when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const TIME_ORIGIN = performance.timeOrigin;

/** Monotonic seconds: performance.timeOrigin + performance.now(), in seconds. */
function monotonicSeconds(): number {
  return (TIME_ORIGIN + performance.now()) / 1000;
}

/**
 * The event loop's scheduler and lifecycle, as Twisted's reactor: timed
 * calls (`callLater`), `run()`/`stop()` with system event triggers, and
 * `callWhenRunning`. Node's loop is always running, so timed calls fire
 * whether or not `run()` was called; `run()` holds the process alive until
 * `stop()`. All pending timed calls share one Node timer, armed for the
 * earliest deadline. The transports layer adds the network methods
 * (`listenTCP`, ...) to this class.
 *
 * @example
 * ```ts
 * const r = new Reactor();
 * r.callWhenRunning(() => console.log('started'));
 * r.callLater(0.5, () => r.stop());
 * await r.run(); // resolves once stopped and shut down
 * ```
 */
export class Reactor implements IReactorTime {
  readonly #queue = new TimerQueue();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerDeadline = Number.POSITIVE_INFINITY;
  readonly #events = new Map<SystemEventType, ThreePhaseEvent>();
  #running = false;
  #started = false;
  #stopping = false;
  #startup: Promise<void> | undefined;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #resolveRun: (() => void) | undefined;
  readonly #owner: DelayedCallOwner = {
    seconds: () => this.seconds(),
    callCancelled: (call) => {
      this.#queue.remove(call);
      if (this.#queue.size === 0) this.#disarm(); // nothing left: let the process exit
    },
    callRescheduled: (call) => {
      this.#queue.update(call);
      this.#arm();
    },
  };

  /** A reactor with no pending calls or triggers; its methods are bound (usable as callbacks). */
  constructor() {
    bindMethods(this, [
      'seconds',
      'callLater',
      'getDelayedCalls',
      'callWhenRunning',
      'addSystemEventTrigger',
      'removeSystemEventTrigger',
      'fireSystemEvent',
      'run',
      'stop',
      'crash',
    ]);
  }

  /** True from the 'during startup' phase until the 'during shutdown' phase. */
  get running(): boolean {
    return this.#running;
  }

  /** The current time in seconds, from a monotonic clock. */
  seconds(): number {
    return monotonicSeconds();
  }

  /**
   * Run `fn(...args)` in `delay` seconds. Errors it throws are logged
   * (namespace `woven.time`). A negative or non-finite delay is a `RangeError`.
   */
  callLater<A extends unknown[]>(
    delay: number,
    fn: (...args: A) => unknown,
    ...args: A
  ): DelayedCall;
  callLater(delay: number, fn: (...args: never[]) => unknown): DelayedCall {
    checkDelay(delay);
    checkCallable(fn);
    // No rest parameter: it would allocate an array per call, even an empty one.
    // biome-ignore lint/complexity/noArguments: see above
    const args = arguments.length > 2 ? Array.prototype.slice.call(arguments, 2) : NO_ARGS;
    const call = new DelayedCall(this.seconds() + delay, fn, args, this.#owner);
    this.#queue.push(call);
    if (call.getTime() < this.#timerDeadline) this.#arm();
    return call;
  }

  /** Every pending (not called, not cancelled) timed call, in no particular order. */
  getDelayedCalls(): DelayedCall[] {
    return this.#queue.toArray();
  }

  /**
   * Call `fn(...args)` once the reactor is running: now if it is, else as an
   * 'after startup' trigger (whose id is returned).
   */
  callWhenRunning<A extends unknown[]>(
    fn: (...args: A) => unknown,
    ...args: A
  ): SystemEventTriggerId | undefined {
    if (this.#running) {
      fn(...args);
      return undefined;
    }
    return this.addSystemEventTrigger('after', 'startup', fn, ...args);
  }

  /**
   * Add a trigger for a system event (`'startup'` or `'shutdown'`). A
   * 'before' trigger may return a Deferred/Promise: the event's 'during' phase
   * waits for it. Each trigger runs once.
   */
  addSystemEventTrigger<A extends unknown[]>(
    phase: TriggerPhase,
    event: SystemEventType,
    fn: (...args: A) => unknown,
    ...args: A
  ): SystemEventTriggerId {
    let triggers = this.#events.get(event);
    if (triggers === undefined) {
      triggers = new ThreePhaseEvent();
      this.#events.set(event, triggers);
    }
    const trigger = triggers.add(phase, fn as (...args: never[]) => unknown, args);
    return { event, phase, trigger };
  }

  /** Remove a trigger that has not run yet; throws `RangeError` for an unknown id. */
  removeSystemEventTrigger(id: SystemEventTriggerId): void {
    const triggers = this.#events.get(id?.event);
    if (triggers === undefined) throw new RangeError('no such system event trigger');
    triggers.remove(id.phase, id.trigger);
  }

  /**
   * Fire a system event's triggers now (as Twisted's `fireSystemEvent`);
   * `between` runs after the 'before' phase. Returns a Promise when a 'before'
   * trigger made it wait.
   */
  fireSystemEvent(
    event: SystemEventType,
    between: () => void = () => {},
  ): Promise<void> | undefined {
    const triggers = this.#events.get(event);
    if (triggers === undefined) {
      between();
      return undefined;
    }
    return triggers.fire(between);
  }

  /**
   * Start the reactor: fire the 'startup' triggers (callWhenRunning calls
   * run in its 'after' phase) and hold the process alive until
   * {@link stop}. Resolves once stopped and the shutdown triggers have run.
   * Throws `ReactorAlreadyRunning` if it is already running. A stopped
   * reactor may be run again.
   */
  run(): Promise<void> {
    if (this.#started) throw new ReactorAlreadyRunning('the reactor is already running');
    this.#started = true;
    this.#stopping = false;
    this.#keepAlive = setInterval(() => {}, MAX_TIMER_MS);
    const finished = new Promise<void>((resolve) => {
      this.#resolveRun = resolve;
    });
    const startup = this.fireSystemEvent('startup', () => {
      if (this.#started) this.#running = true;
    });
    this.#startup = startup;
    startup?.then(() => {
      if (this.#startup === startup) this.#startup = undefined;
    });
    return finished;
  }

  /**
   * Stop the reactor: the 'shutdown' triggers run soon after this returns
   * (never inside it); 'before shutdown' triggers may return a
   * Deferred/Promise that shutdown waits for. Throws `ReactorNotRunning` when
   * the reactor is not running (or already stopping).
   */
  stop(): void {
    if (!this.#started || this.#stopping)
      throw new ReactorNotRunning("can't stop a reactor that isn't running");
    this.#stopping = true;
    setImmediate(() => {
      if (this.#startup) void this.#startup.then(() => this.#shutdown());
      else this.#shutdown();
    });
  }

  /** Stop at once, without running the shutdown triggers (as Twisted's `crash`). */
  crash(): void {
    this.#running = false;
    this.#finish();
  }

  #shutdown(): void {
    if (!this.#started) return; // crashed meanwhile
    const done = this.fireSystemEvent('shutdown', () => {
      this.#running = false;
    });
    if (done) void done.then(() => this.#finish());
    else this.#finish();
  }

  #finish(): void {
    this.#started = false;
    this.#stopping = false;
    this.#startup = undefined;
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
    const resolve = this.#resolveRun;
    this.#resolveRun = undefined;
    resolve?.();
  }

  /** (Re-)arm the single Node timer for the earliest pending call. */
  #arm(): void {
    if (this.#queue.peek() === undefined) {
      this.#disarm();
      return;
    }
    const deadline = this.#queue.peekTime();
    if (deadline === this.#timerDeadline && this.#timer !== undefined) return;
    this.#disarm();
    const ms = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil((deadline - this.seconds()) * 1000)));
    this.#timerDeadline = deadline;
    this.#timer = setTimeout(this.#onTimer, ms);
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerDeadline = Number.POSITIVE_INFINITY;
  }

  /** Run every call due now (not ones scheduled while doing so), then re-arm. */
  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#timerDeadline = Number.POSITIVE_INFINITY;
    const now = this.seconds();
    const queue = this.#queue;
    queue.beginRound();
    try {
      for (let call = queue.popDue(now); call !== undefined; call = queue.popDue(now)) {
        try {
          delayedCallInternals.run(call);
        } catch (error) {
          log.failure('Unhandled error in a delayed call', error, { log_level: 'error' });
        }
      }
    } finally {
      queue.endRound();
    }
    this.#arm();
  };
}

/**
 * The default reactor: one per process, what `clock` parameters default to.
 * The transports layer adds the network methods to it.
 */
export const reactor: Reactor = new Reactor();
