export {
  backoffPolicy,
  ClientService,
  type ClientServiceOptions,
  type RetryPolicy,
} from './client-service.js';
export { NoSuchServiceError, ServiceNameError, UsageError } from './errors.js';
export { MultiService } from './multi-service.js';
export { connectionHolders, hasOpenConnections, type OpenConnections } from './open-connections.js';
export type { OptionSpec, OptionsSpec, OptionType, ParsedOptions } from './option-spec.js';
export { type IService, type IServiceCollection, type MaybeAsync, Service } from './service.js';
export { StreamServerEndpointService } from './stream-server-endpoint-service.js';
export { TimerService } from './timer-service.js';
