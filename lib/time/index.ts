export { Clock } from './clock.js';
export {
  type CooperativeIterator,
  CooperativeTask,
  Cooperator,
  type CooperatorOptions,
  coiterate,
  cooperate,
  defaultCooperator,
} from './cooperator.js';
export { deferLater } from './defer-later.js';
export { checkDelay, DelayedCall, type DelayedCallOwner } from './delayed-call.js';
export {
  AlreadyCalled,
  AlreadyCancelled,
  LoopingCallStateError,
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
export type { IDelayedCall, IReactorTime } from '../defer/index.js';
export { LoopingCall } from './looping-call.js';
export { type ReactorCore, react } from './react.js';
export { Reactor, reactor } from './reactor.js';
export type { SystemEventTriggerId, SystemEventType, TriggerPhase } from './system-event.js';
