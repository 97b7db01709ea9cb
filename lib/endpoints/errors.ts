// Tests: tests/endpoints/from-string.test.ts, tests/endpoints/endpoints.test.ts, tests/endpoints/registry.test.ts
import { setErrorName, WovenError } from '../failure/index.js';

/**
 * A bad endpoint description: an unknown prefix, a malformed or missing
 * argument, an unknown keyword, or a key/certificate file that cannot be read.
 * Thrown at parse time by `serverFromString` / `clientFromString`; the message
 * names the offending part, which is also in {@link EndpointDescriptionError.part}.
 *
 * @example
 * ```ts
 * try {
 *   serverFromString(reactor, 'tcp:http');
 * } catch (e) {
 *   if (e instanceof EndpointDescriptionError) console.error(e.message); // names 'http'
 * }
 * ```
 */
export class EndpointDescriptionError extends WovenError {
  static {
    setErrorName(this, 'EndpointDescriptionError', 'ERR_ENDPOINT_DESCRIPTION');
  }

  /** The part of the description at fault (a prefix, argument name or value), if known. */
  readonly part: string | undefined;

  constructor(message: string, part?: string, options?: ErrorOptions) {
    super(message, options);
    this.part = part;
  }
}

/**
 * An endpoint prefix cannot be registered: it is empty or contains `:`, `=`
 * or `\`, or it is already registered with a different definition (built-in
 * prefixes such as `tcp` cannot be replaced).
 */
export class EndpointPrefixError extends WovenError {
  static {
    setErrorName(this, 'EndpointPrefixError', 'ERR_ENDPOINT_PREFIX');
  }
}

/**
 * An endpoint that can listen only once was asked to listen again, as
 * Twisted's `AlreadyListened` (an adopted socket: its descriptor is in use).
 */
export class AlreadyListened extends WovenError {
  static {
    setErrorName(this, 'AlreadyListened', 'ERR_ALREADY_LISTENED');
  }
}
