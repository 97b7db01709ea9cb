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
  AbortError,
  type AddCallbacksOptions,
  AlreadyCalledError,
  CancelledError,
  cancelOnSignal,
  type SignalOptions,
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
  type CooperativeIterator,
  CooperativeTask,
  Cooperator,
  type CooperatorOptions,
  coiterate,
  cooperate,
  DelayedCall,
  deferLater,
  type IDelayedCall,
  type IReactorTime,
  LoopingCall,
  LoopingCallStateError,
  NotPaused,
  ReactorAlreadyRunning,
  type ReactorCore,
  ReactorNotRunning,
  react,
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
  NoProtocol,
  type Data,
  type DatagramAddress,
  DatagramProtocol,
  Factory,
  type Handler,
  type IConnector,
  type IConsumer,
  type IHalfCloseableProtocol,
  type IMulticastTransport,
  type InetAddress,
  type IProducer,
  type IPullProducer,
  type IPushProducer,
  type IServerStoppingProtocol,
  type ITLSTransport,
  type ITransport,
  type IUDPTransport,
  Protocol,
  type ProtocolClass,
  ProducerRegisteredError,
  ProtocolInUseError,
  ReconnectingClientFactory,
  ServerStoppingError,
  type StartTLSOptions,
  StreamConnection,
  type StreamConnectionOptions,
  type StreamProtocol,
  toFactory,
  type UNIXAddress,
  type WriteOptions,
} from './protocols/index.js';
export {
  LimitConnectionsByPeer,
  LimitTotalConnectionsFactory,
  type LimitTotalOptions,
  ProtocolWrapper,
  TimeoutFactory,
  type TimeoutMethods,
  TimeoutMixin,
  type TimeoutOptions,
  TimeoutProtocol,
  JobQueue,
  type JobQueueOptions,
  QueueFullError,
  RateLimitedProtocol,
  RateLimitingFactory,
  type RateLimitOptions,
  type ThrottleOptions,
  throttle,
  ThrottlingFactory,
  type ThrottlingOptions,
  ThrottlingProtocol,
  WrappingFactory,
} from './protocols/index.js';

// --- protocols: framing and the basic receivers ---
export {
  ByteReader,
  type ByteReaderOptions,
  type ByteSource,
  encodeLengthPrefixed,
  encodeNetstring,
  FrameTooLong,
  FramingError,
  type LengthPrefixedOptions,
  type BatchOption,
  type LinesOptions,
  lengthPrefixed,
  lines,
  type NetstringsOptions,
  netstrings,
  type PrefixBytes,
  type ReadLimitOptions,
  StringTooLongError,
  UnexpectedEOF,
} from './protocols/index.js';
export {
  Int8StringReceiver,
  Int16StringReceiver,
  Int32StringReceiver,
  IntNStringReceiver,
  LineOnlyReceiver,
  LineReceiver,
  NetstringReceiver,
  NotImplementedError,
} from './protocols/index.js';

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
  ConnectorStateError,
  ConnectTimeoutError,
  DNSLookupError,
  type IListeningPort,
  type IReactor,
  type IReactorMulticast,
  type IReactorNetwork,
  type IReactorSSL,
  type IReactorTCP,
  type IReactorUDP,
  type IReactorUNIX,
  ListeningPort,
  LockHeldError,
  NoRouteError,
  NotConnectingError,
  NotListeningError,
  type PEM,
  Reactor,
  ReactorNetwork,
  reactor,
  SocketTransport,
  TLSError,
  type TLSClientOptions,
  type TLSOptions,
  type TLSServerOptions,
  type TrustRootOptions,
  UserError,
} from './transports/index.js';
export {
  AlreadyConnectedError,
  AlreadyListeningError,
  InvalidAddressError,
  MessageLengthError,
  MulticastJoinError,
  MulticastPort,
  UDPPort,
} from './transports/index.js';
export {
  type Datagram,
  type DatagramHandler,
  type DatagramHandlerLike,
  type DatagramProtocolClass,
  type DatagramSocket,
  DatagramStream,
  type OutgoingDatagram,
} from './transports/index.js';

// --- threads ---
export {
  deferToThread,
  deferToThreadPool,
  getThreadPool,
  ThreadPool,
  type ThreadPoolOptions,
  type ThreadTask,
  ThreadWorkerError,
} from './threads/index.js';

// --- metrics ---
export {
  METRIC_NAMES,
  OUTGOING_PORT_LABEL,
  type RegisterMetricsOptions,
  registerMetrics,
} from './metrics/index.js';

// --- websocket ---
export {
  type ConnectWebSocketOptions,
  connectionDuplex,
  connectWebSocket,
  DEFAULT_MAX_PAYLOAD,
  DEFAULT_MAX_UNREAD_BYTES,
  HandshakeTimeoutError,
  type WebSocketCloseInfo,
  WebSocketConnection,
  type WebSocketConnectionOptions,
  type WebSocketHandler,
  type WebSocketMessage,
  type WebSocketServerOptions,
  webSocketServer,
} from './websocket/index.js';

// --- endpoints ---
export {
  type ConnectOptions,
  type Connected,
  clientFromString,
  connect,
  connectProtocol,
  EndpointDescriptionError,
  type EndpointParser,
  type EndpointPrefixDefinition,
  EndpointPrefixError,
  endpointPrefixes,
  HostnameEndpoint,
  InetClientEndpoint,
  type IStreamClientEndpoint,
  type IStreamServerEndpoint,
  type ListenOptions,
  listen,
  type ParsedDescription,
  parseDescription,
  quoteStringArgument,
  registerEndpointPrefix,
  SSL4ClientEndpoint,
  SSL4ServerEndpoint,
  StreamClientEndpoint,
  serverFromString,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  RateLimitedServerEndpoint,
  ConnectionPool,
  type ConnectionPoolOptions,
  PoolClosedError,
  TCP6ClientEndpoint,
  TCP6ServerEndpoint,
  TLSWrapperClientEndpoint,
  UNIXClientEndpoint,
  UNIXServerEndpoint,
  wrapClientTLS,
} from './endpoints/index.js';
// deployment: sockets from systemd, stdin/stdout
export {
  AdoptedStreamServerEndpoint,
  AlreadyListened,
  ListenFDs,
  StandardIOEndpoint,
  type StandardIOOptions,
} from './endpoints/index.js';
export {
  type AddressFamily,
  adoptStreamPort,
  StdioPort,
  type StdioStreams,
} from './transports/index.js';

// --- plugins ---
export {
  type DiscoveryOptions,
  defineEndpointPlugin,
  defineServicePlugin,
  discoverPlugins,
  type EndpointPlugin,
  getPlugins,
  InvalidPluginError,
  type Plugin,
  PluginCatalog,
  PluginConflictError,
  type PluginKind,
  registerPlugin,
  type ServicePlugin,
  StaticRootError,
  UnknownPluginError,
} from './plugins/index.js';

// --- app ---
export {
  backoffPolicy,
  ClientService,
  type ClientServiceOptions,
  type IService,
  type IServiceCollection,
  MultiService,
  NoSuchServiceError,
  type OpenConnections,
  type OptionSpec,
  type OptionsSpec,
  type OptionType,
  type ParsedOptions,
  type RetryPolicy,
  Service,
  ServiceNameError,
  StreamServerEndpointService,
  TimerService,
  UsageError,
} from './app/index.js';

// --- runner ---
export {
  AlreadyRunningError,
  PidFile,
  PidfileError,
  type RunServiceOptions,
  runService,
} from './runner/index.js';

// --- testing ---
export {
  type ConnectedServerAndClient,
  connectedServerAndClient,
  IOPump,
  type ConnectionPairOptions,
  connectionPair,
  loopback,
  MemoryTransport,
  type MemoryTransportOptions,
  memoryTransportPair,
  type ProducerState,
  StringTransport,
  type StringTransportOptions,
  StringTransportWithDisconnection,
} from './testing/index.js';
export {
  FakeConnector,
  FakePort,
  type MemoryBindAddress,
  MemoryReactor,
  MemoryReactorClock,
  RaisingMemoryReactor,
} from './testing/index.js';

// --- operations: diagnostics channels ---
export { diagnosticsChannels } from './log/index.js';
export type { HandlerFailedMessage } from './protocols/index.js';
export type {
  ConnectionClosedMessage,
  ConnectionOpenedMessage,
  ListenMessage,
  TLSHandshakeFailedMessage,
} from './transports/index.js';
