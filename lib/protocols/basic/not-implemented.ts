// Tests: tests/protocols/basic/line-receiver.test.ts
import { setErrorName, WovenError } from '../../failure/index.js';

/**
 * A hook a subclass must override was called without being overridden
 * (e.g. `LineReceiver.lineReceived`), as Python's `NotImplementedError`.
 */
export class NotImplementedError extends WovenError {
  static {
    setErrorName(this, 'NotImplementedError', 'ERR_NOT_IMPLEMENTED');
  }
}

/** The error thrown by an un-overridden hook `name` of class `owner`. */
export function notImplemented(owner: object, name: string): NotImplementedError {
  return new NotImplementedError(`${owner.constructor.name}.${name} must be overridden`);
}
