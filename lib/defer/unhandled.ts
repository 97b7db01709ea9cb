// Tests: tests/defer/unhandled.test.ts
import type { Failure } from '../failure/index.js';
import { diagnosticsChannels as channels, Logger } from '../log/index.js';

const log = new Logger('woven.defer');

/** A failure left at the end of a Deferred's chain, not yet handled. */
export interface UnhandledFailure {
  readonly failure: Failure;
}

const pending = new Set<UnhandledFailure>();
const handled = new WeakSet<Failure>();
let registry: FinalizationRegistry<UnhandledFailure> | undefined;

function report(entry: UnhandledFailure): void {
  log.failure('Unhandled error in Deferred:', entry.failure);
  if (channels.deferredUnhandledError.hasSubscribers)
    channels.deferredUnhandledError.publish(entry);
}

function reportAtExit(): void {
  for (const entry of pending) report(entry);
  pending.clear();
}

function getRegistry(): FinalizationRegistry<UnhandledFailure> {
  if (registry === undefined) {
    registry = new FinalizationRegistry((entry) => {
      if (pending.delete(entry)) report(entry);
    });
    process.once('exit', reportAtExit);
  }
  return registry;
}

/**
 * Remember that `owner`'s chain ends holding `failure`: it is reported once
 * through `Logger('woven.defer')` when `owner` is garbage-collected, or at
 * process exit, unless {@link forgetUnhandled} is called first.
 */
export function trackUnhandled(owner: object, failure: Failure): UnhandledFailure {
  const entry: UnhandledFailure = { failure };
  pending.add(entry);
  getRegistry().register(owner, entry, entry);
  return entry;
}

/** The failure tracked by `entry` was handled (or moved on): do not report it. */
export function forgetUnhandled(entry: UnhandledFailure): void {
  pending.delete(entry);
  registry?.unregister(entry);
}

/** Count `failure` as handled wherever it ends up (it was observed by `then`). */
export function markHandled(failure: Failure): void {
  handled.add(failure);
}

/** Whether `failure` was observed by `then` (see {@link markHandled}). */
export function isHandled(failure: Failure): boolean {
  return handled.has(failure);
}
