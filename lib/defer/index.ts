export { type AddCallbacksOptions, Deferred } from './deferred.js';
export { cancelOnSignal, type SignalOptions } from './cancel-on-signal.js';
export {
  AbortError,
  AlreadyCalledError,
  CancelledError,
  FailureGroup,
  FirstError,
  QueueOverflow,
  QueueUnderflow,
  TimeoutError,
} from './errors.js';
export { ensureDeferred, fail, maybeDeferred, succeed } from './functions.js';
export {
  type DeferredInput,
  DeferredList,
  type DeferredListEntry,
  type DeferredListOptions,
  type DeferredListResult,
} from './deferred-list.js';
export { type GatherResultsOptions, gatherResults } from './gather.js';
export { ConcurrencyPrimitive, DeferredLock, NotLockedError } from './lock.js';
export { DeferredQueue, type DeferredQueueOptions } from './queue.js';
export { race } from './race.js';
export { DeferredSemaphore } from './semaphore.js';
export { isThenable } from './thenable.js';
export type { IDelayedCall, IReactorTime } from './ireactortime.js';
