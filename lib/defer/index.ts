export {
  AlreadyCalledError,
  CancelledError,
  FailureGroup,
  FirstError,
  QueueOverflow,
  QueueUnderflow,
  TimeoutError,
} from './errors.js';
