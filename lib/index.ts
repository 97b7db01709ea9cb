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
  type StreamProtocol,
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

// --- app ---

// --- testing ---
