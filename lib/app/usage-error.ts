import { setErrorName, WovenError } from '../failure/index.js';

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
