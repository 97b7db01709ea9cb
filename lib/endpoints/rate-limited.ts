// Tests: tests/endpoints/rate-limited.test.ts
import { type Handler, RateLimitingFactory, type RateLimitOptions } from '../protocols/index.js';
import type { IListeningPort } from '../transports/index.js';
import { toCount } from './arguments.js';
import { EndpointDescriptionError } from './errors.js';
import type { IStreamServerEndpoint, ListenOptions } from './interfaces.js';

/**
 * A server endpoint whose port serves at most `rate` new connections per
 * second (see {@link RateLimitingFactory}): what `rate=N` and `rateQueue=N`
 * in a server description make around any endpoint.
 *
 * @example
 * ```ts
 * const endpoint = new RateLimitedServerEndpoint(new TCP4ServerEndpoint(reactor, 8000), { rate: 100 });
 * await endpoint.listen(echo);
 * ```
 */
export class RateLimitedServerEndpoint implements IStreamServerEndpoint {
  constructor(
    readonly endpoint: IStreamServerEndpoint,
    readonly options: RateLimitOptions,
  ) {}

  /** Listen on the wrapped endpoint, each listen with its own limit. */
  listen(handler: Handler, options?: ListenOptions): Promise<IListeningPort> {
    return this.endpoint.listen(new RateLimitingFactory(handler, this.options), options);
  }
}

/**
 * Take the `rate` and `rateQueue` keywords out of a server description's
 * `kwargs`: the options of a {@link RateLimitedServerEndpoint}, or
 * `undefined` when no `rate` is given.
 */
export function takeRateLimit(
  prefix: string,
  kwargs: Record<string, string>,
): RateLimitOptions | undefined {
  const { rate, rateQueue } = kwargs;
  delete kwargs.rate;
  delete kwargs.rateQueue;
  if (rate === undefined) {
    if (rateQueue !== undefined) {
      throw new EndpointDescriptionError(`${prefix}: rateQueue= needs rate=`, 'rateQueue');
    }
    return undefined;
  }
  const perSecond = toCount(prefix, 'rate', rate);
  if (perSecond < 1) throw new EndpointDescriptionError(`${prefix}: rate= must be >= 1`, rate);
  return {
    rate: perSecond,
    ...(rateQueue === undefined ? {} : { maxWaiting: toCount(prefix, 'rateQueue', rateQueue) }),
  };
}
