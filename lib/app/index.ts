export {
  backoffPolicy,
  type ClientEndpointLike,
  ClientService,
  type ClientServiceOptions,
  type RetryPolicy,
} from './client-service.js';
export { NoSuchServiceError, ServiceNameError } from './errors.js';
export { MultiService } from './multi-service.js';
export { formatOptionsHelp, type OptionsResult, parseOptions, splitAtCommand } from './options.js';
export { AlreadyRunningError, PidFile, PidfileError } from './pidfile.js';
export { runService, type RunServiceOptions } from './runner.js';
export { type IService, type IServiceCollection, type MaybeAsync, Service } from './service.js';
export {
  formatAddress,
  type ListeningPortLike,
  type ServerEndpointLike,
  StreamServerEndpointService,
} from './stream-server-endpoint-service.js';
export { TimerService } from './timer-service.js';
export { UsageError } from './usage-error.js';
