export { Clock } from './clock.js';
export { checkDelay, DelayedCall, type DelayedCallOwner } from './delayed-call.js';
export {
  AlreadyCalled,
  AlreadyCancelled,
  NotPaused,
  ReactorAlreadyRunning,
  ReactorNotRunning,
  SchedulerError,
  SchedulerStopped,
  TaskDone,
  TaskFailed,
  TaskFinished,
  TaskStopped,
} from './errors.js';
export type { IDelayedCall, IReactorTime } from './ireactortime.js';
export { Reactor, reactor } from './reactor.js';
export type { SystemEventTriggerId, SystemEventType, TriggerPhase } from './system-event.js';
