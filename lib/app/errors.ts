import { setErrorName, WovenError } from '../failure/index.js';

/**
 * A service name clash: renaming a service that already has a parent, or
 * adding a second child with a name already used (Twisted's `RuntimeError`).
 */
export class ServiceNameError extends WovenError {
  static {
    setErrorName(this, 'ServiceNameError', 'ERR_SERVICE_NAME');
  }
}

/** No such child service: unknown name, or removing a service that is not a child. */
export class NoSuchServiceError extends WovenError {
  static {
    setErrorName(this, 'NoSuchServiceError', 'ERR_NO_SUCH_SERVICE');
  }
}

/**
 * Bad command-line usage (an unknown flag, a missing value, a number that is
 * not one). Its message is one line naming the flag; the `woven` command
 * prints it and exits with status 2.
 */
export class UsageError extends WovenError {
  static {
    setErrorName(this, 'UsageError', 'ERR_USAGE');
  }
}
