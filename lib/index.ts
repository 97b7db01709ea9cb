// The public surface of woven: re-exports only, grouped by area.
// Each area's block is maintained by whoever owns that area.

// --- failure ---
export { type ErrorType, Failure, WovenError } from './failure/index.js';

// --- log ---
export {
  eventAsJSON,
  FilteringLogObserver,
  formatEvent,
  globalLogPublisher,
  jsonFileLogObserver,
  type LogEvent,
  type LogFilterPredicate,
  Logger,
  LogLevel,
  LogLevelFilterPredicate,
  type LogObserver,
  LogPublisher,
  PredicateResult,
  textFileLogObserver,
} from './log/index.js';

// --- defer ---
export {
  type AddCallbacksOptions,
  AlreadyCalledError,
  CancelledError,
  Deferred,
  ensureDeferred,
  FailureGroup,
  FirstError,
  fail,
  maybeDeferred,
  QueueOverflow,
  QueueUnderflow,
  succeed,
  TimeoutError,
} from './defer/index.js';
export {
  ConcurrencyPrimitive,
  type DeferredInput,
  DeferredList,
  type DeferredListEntry,
  type DeferredListOptions,
  type DeferredListResult,
  DeferredLock,
  DeferredQueue,
  type DeferredQueueOptions,
  DeferredSemaphore,
  type GatherResultsOptions,
  gatherResults,
  NotLockedError,
  race,
} from './defer/index.js';

// --- time ---
export {
  AlreadyCalled,
  AlreadyCancelled,
  Clock,
  DelayedCall,
  type IDelayedCall,
  type IReactorTime,
  NotPaused,
  Reactor,
  ReactorAlreadyRunning,
  ReactorNotRunning,
  reactor,
  SchedulerError,
  SchedulerStopped,
  type SystemEventTriggerId,
  type SystemEventType,
  TaskDone,
  TaskFailed,
  TaskFinished,
  TaskStopped,
  type TriggerPhase,
} from './time/index.js';

// --- protocols ---
export {
  type Address,
  BaseProtocol,
  ClientFactory,
  type Connection,
  ConnectionAborted,
  ConnectionClosed,
  ConnectionClosedError,
  ConnectionDone,
  ConnectionLost,
  type Data,
  Factory,
  type Handler,
  type IConnector,
  type IConsumer,
  type IHalfCloseableProtocol,
  type InetAddress,
  type IProducer,
  type IPullProducer,
  type IPushProducer,
  type ITLSTransport,
  type ITransport,
  Protocol,
  type ProtocolClass,
  type StartTLSOptions,
  StreamConnection,
  type StreamConnectionOptions,
  type StreamProtocol,
  toFactory,
  type UNIXAddress,
} from './protocols/index.js';

// --- protocols/framing and protocols/basic ---
export {
  ByteReader,
  type ByteReaderOptions,
  type ByteSource,
  type BytesLike,
  encodeLengthPrefixed,
  encodeNetstring,
  FrameTooLong,
  FramingError,
  type LengthPrefixedOptions,
  type LinesOptions,
  lengthPrefixed,
  lines,
  type NetstringsOptions,
  netstrings,
  type PrefixBytes,
  type ReadLimitOptions,
  StringTooLongError,
  UnexpectedEOF,
} from './protocols/framing/index.js';

// --- transports ---
export {
  BadFileError,
  type BindAddress,
  CannotListenError,
  ConnectBindError,
  ConnectError,
  ConnectionRefusedError,
  Connector,
  type ConnectorState,
  ConnectTimeoutError,
  DNSLookupError,
  ListeningPort,
  NoRouteError,
  NotConnectingError,
  type PEM,
  SocketTransport,
  TLSError,
  type TLSOptions,
  UserError,
} from './transports/index.js';

// --- endpoints ---
export {
  EndpointDescriptionError,
  type EndpointParser,
  type EndpointPrefixDefinition,
  EndpointPrefixError,
  endpointPrefixes,
  type ParsedDescription,
  parseDescription,
  quoteStringArgument,
  registerEndpointPrefix,
} from './endpoints/index.js';

// --- plugins ---
export {
  type DiscoveryOptions,
  defineEndpointPlugin,
  defineServicePlugin,
  discoverPlugins,
  type EndpointPlugin,
  getPlugins,
  InvalidPluginError,
  type OptionSpec,
  type OptionsSpec,
  type OptionType,
  type ParsedOptions,
  type Plugin,
  PluginCatalog,
  PluginConflictError,
  type PluginKind,
  registerPlugin,
  type ServicePlugin,
  UnknownPluginError,
} from './plugins/index.js';

// --- app ---
export {
  AlreadyRunningError,
  backoffPolicy,
  ClientService,
  type ClientServiceOptions,
  type IService,
  type IServiceCollection,
  MultiService,
  NoSuchServiceError,
  PidFile,
  PidfileError,
  type RetryPolicy,
  Service,
  ServiceNameError,
  StreamServerEndpointService,
  TimerService,
  UsageError,
} from './app/index.js';

// --- testing ---
export {
  type ConnectionPairOptions,
  connectionPair,
  loopback,
  MemoryTransport,
  type MemoryTransportOptions,
  memoryTransportPair,
  type ProducerState,
  StringTransport,
  StringTransportWithDisconnection,
} from './testing/index.js';
