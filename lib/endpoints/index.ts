export { InetClientEndpoint, StreamClientEndpoint } from './client-endpoint.js';
export { type ParsedDescription, parseDescription, quoteStringArgument } from './description.js';
export {
  AlreadyListened,
  EndpointDescriptionError,
  EndpointPrefixError,
} from './errors.js';
export { clientFromString, serverFromString } from './from-string.js';
export type { IStreamClientEndpoint, IStreamServerEndpoint, ListenOptions } from './interfaces.js';
export {
  type EndpointParser,
  type EndpointPrefixDefinition,
  endpointPrefixes,
  registerEndpointPrefix,
} from './registry.js';
export { connect, connectProtocol, listen } from './shortcuts.js';
export { SSL4ClientEndpoint, SSL4ServerEndpoint } from './ssl.js';
export {
  HostnameEndpoint,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  TCP6ClientEndpoint,
  TCP6ServerEndpoint,
} from './tcp.js';
export { UNIXClientEndpoint, UNIXServerEndpoint } from './unix.js';
export { TLSWrapperClientEndpoint, wrapClientTLS } from './wrap-tls.js';
export type { ConnectOptions, Connected } from './connection-attempt.js';
export { AdoptedStreamServerEndpoint, ListenFDs } from './systemd.js';
export {
  StandardIOEndpoint,
  type StandardIOOptions,
  standardOutputClaimed,
} from './stdio.js';
export { RateLimitedServerEndpoint } from './rate-limited.js';
export { ConnectionPool, type ConnectionPoolOptions, PoolClosedError } from './connection-pool.js';
