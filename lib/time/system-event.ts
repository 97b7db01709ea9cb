import { isThenable } from '../defer/index.js';
import { Logger } from '../log/index.js';

/** The phases of a system event, run in this order. */
export type TriggerPhase = 'before' | 'during' | 'after';

/** Reactor system events: `'startup'` and `'shutdown'` (others may be fired by name). */
export type SystemEventType = 'startup' | 'shutdown' | (string & {});

interface Trigger {
  readonly fn: (...args: never[]) => unknown;
  readonly args: unknown[];
}

/** The opaque id `addSystemEventTrigger` returns, for `removeSystemEventTrigger`. */
export interface SystemEventTriggerId {
  readonly event: SystemEventType;
  readonly phase: TriggerPhase;
  /** @internal */
  readonly trigger: object;
}

const PHASES: readonly TriggerPhase[] = ['before', 'during', 'after'];

const log = new Logger('woven.time');

/**
 * The triggers of one system event, in three phases (as Twisted's
 * `_ThreePhaseEvent`). Each trigger runs once: firing consumes it. Internal
 * to the time area.
 */
export class ThreePhaseEvent {
  readonly #phases: Record<TriggerPhase, Trigger[]> = { before: [], during: [], after: [] };

  /** Add `fn(...args)` to `phase`; returns the trigger to remove it with. */
  add(phase: TriggerPhase, fn: (...args: never[]) => unknown, args: unknown[]): Trigger {
    if (!PHASES.includes(phase)) throw new RangeError(`invalid trigger phase: ${String(phase)}`);
    if (typeof fn !== 'function') throw new TypeError('a system event trigger must be a function');
    const trigger: Trigger = { fn, args };
    this.#phases[phase].push(trigger);
    return trigger;
  }

  /** Remove a trigger that has not run yet; throws `RangeError` if it is not pending. */
  remove(phase: TriggerPhase, trigger: object): void {
    const list = this.#phases[phase];
    const index = list?.indexOf(trigger as Trigger) ?? -1;
    if (index < 0) throw new RangeError('no such pending system event trigger');
    list.splice(index, 1);
  }

  /**
   * Run the 'before' triggers; once every Deferred/Promise they returned has
   * settled, run `between` (the reactor's own step), then the 'during' and
   * 'after' triggers. Returns a Promise when it had to wait, else undefined
   * (everything ran synchronously). Trigger errors are logged.
   */
  fire(between: () => void): Promise<void> | undefined {
    const waits: Promise<unknown>[] = [];
    for (const result of this.#drain('before')) {
      if (isThenable(result)) {
        waits.push(
          Promise.resolve(result).then(undefined, (error: unknown) => {
            log.failure('Error in a "before" system event trigger', error);
          }),
        );
      }
    }
    const finish = (): void => {
      between();
      for (const _ of this.#drain('during'));
      for (const _ of this.#drain('after'));
    };
    if (waits.length === 0) {
      finish();
      return undefined;
    }
    return Promise.all(waits).then(finish);
  }

  /** Run the triggers of `phase` in order, including ones added meanwhile, yielding each result. */
  *#drain(phase: TriggerPhase): Generator<unknown> {
    const list = this.#phases[phase];
    for (let trigger = list.shift(); trigger !== undefined; trigger = list.shift()) {
      try {
        yield (trigger.fn as (...args: unknown[]) => unknown)(...trigger.args);
      } catch (error) {
        log.failure('Error in a system event trigger', error);
      }
    }
  }
}
