export { LimitConnectionsByPeer } from './limit-by-peer.js';
export { LimitTotalConnectionsFactory, type LimitTotalOptions } from './limit-total.js';
export { ProtocolWrapper } from './protocol-wrapper.js';
export { TimeoutFactory, type TimeoutOptions, TimeoutProtocol } from './timeout-factory.js';
export { TimeoutMixin, type TimeoutMethods } from './timeout-mixin.js';
export { WrappingFactory } from './wrapping-factory.js';
export {
  ThrottlingFactory,
  type ThrottlingOptions,
  ThrottlingProtocol,
} from './throttling-factory.js';
export { type ThrottleOptions, throttle } from './throttle.js';
export { JobQueue, type JobQueueOptions, QueueFullError } from './job-queue.js';
export {
  RateLimitedProtocol,
  RateLimitingFactory,
  type RateLimitOptions,
} from './rate-limiting-factory.js';
