import { setErrorName, WovenError } from '../failure/index.js';

/** Thrown by `DelayedCall.cancel/reset/delay` once the call was cancelled. */
export class AlreadyCancelled extends WovenError {
  static {
    setErrorName(this, 'AlreadyCancelled', 'ERR_ALREADY_CANCELLED');
  }
}

/** Thrown by `DelayedCall.cancel/reset/delay` once the call has run. */
export class AlreadyCalled extends WovenError {
  static {
    setErrorName(this, 'AlreadyCalled', 'ERR_DELAYED_CALL_ALREADY_CALLED');
  }
}

/** Thrown by `Reactor.stop()` when the reactor is not running. */
export class ReactorNotRunning extends WovenError {
  static {
    setErrorName(this, 'ReactorNotRunning', 'ERR_REACTOR_NOT_RUNNING');
  }
}

/** Thrown by `Reactor.run()` when the reactor is already running. */
export class ReactorAlreadyRunning extends WovenError {
  static {
    setErrorName(this, 'ReactorAlreadyRunning', 'ERR_REACTOR_ALREADY_RUNNING');
  }
}

/** The base of the cooperative-scheduler errors (as twisted.internet.task.SchedulerError). */
export class SchedulerError extends WovenError {
  static {
    setErrorName(this, 'SchedulerError', 'ERR_SCHEDULER');
  }
}

/** The base of the errors saying a cooperative task has finished, one way or another. */
export class TaskFinished extends SchedulerError {
  static {
    setErrorName(this, 'TaskFinished', 'ERR_TASK_FINISHED');
  }
}

/** A cooperative task was paused, resumed or stopped after it had finished. */
export class TaskDone extends TaskFinished {
  static {
    setErrorName(this, 'TaskDone', 'ERR_TASK_DONE');
  }
}

/** A cooperative task was stopped: its `whenDone()` Deferreds fail with this. */
export class TaskStopped extends TaskFinished {
  static {
    setErrorName(this, 'TaskStopped', 'ERR_TASK_STOPPED');
  }
}

/** A cooperative task's iterator failed earlier; the task can no longer be controlled. */
export class TaskFailed extends TaskFinished {
  static {
    setErrorName(this, 'TaskFailed', 'ERR_TASK_FAILED');
  }
}

/** `CooperativeTask.resume()` was called on a task that was not paused. */
export class NotPaused extends SchedulerError {
  static {
    setErrorName(this, 'NotPaused', 'ERR_NOT_PAUSED');
  }
}

/** The `Cooperator` was stopped: its tasks fail with this and it accepts no new work. */
export class SchedulerStopped extends SchedulerError {
  static {
    setErrorName(this, 'SchedulerStopped', 'ERR_SCHEDULER_STOPPED');
  }
}

/** A `LoopingCall` was started while running, or stopped/reset while not running. */
export class LoopingCallStateError extends WovenError {
  static {
    setErrorName(this, 'LoopingCallStateError', 'ERR_LOOPING_CALL_STATE');
  }
}
