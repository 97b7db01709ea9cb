export { type Address, formatAddress, type InetAddress, type UNIXAddress } from './address.js';
export { abortable } from './abortable.js';
export type { Connection, Handler, StreamProtocol, WriteOptions } from './connection.js';
export {
  type DatagramAddress,
  DatagramProtocol,
  type IMulticastTransport,
  type IUDPTransport,
} from './datagram.js';
export {
  ConnectionAborted,
  ConnectionClosed,
  ConnectionClosedError,
  ConnectionDone,
  ConnectionLost,
  NoProtocol,
  ProducerRegisteredError,
  ProtocolInUseError,
  ServerStoppingError,
} from './errors.js';
export { ProducerSlot } from './producer-slot.js';
export { ClientFactory, Factory, type IConnector } from './factory.js';
export { type HandlerFailedMessage, publishHandlerFailure } from './handler-failure.js';
export { isProtocolClass, StreamFactory, toFactory } from './handler.js';
export { BaseProtocol, Protocol, type ProtocolClass } from './protocol.js';
export { ReconnectingClientFactory } from './reconnecting.js';
export { type IServerStoppingProtocol, tellServerStopping } from './server-stopping.js';
export { StreamConnection, type StreamConnectionOptions } from './stream-connection.js';
export {
  type Data,
  type IConsumer,
  type IHalfCloseableProtocol,
  type IProducer,
  type IPullProducer,
  type IPushProducer,
  type ITLSTransport,
  type ITransport,
  isTLSTransport,
  type StartTLSOptions,
  toBytes,
} from './transport.js';
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
} from './policies/index.js';
export { forwardHalfClose } from './half-close.js';
export { isAsyncIterable } from './async-iterable.js';
export {
  DueAtNextTurn,
  nextTurn,
  onNextTurn,
  TURN_BUDGET_BYTES,
  TURN_BUDGET_STEPS,
  TurnBudget,
} from './turn.js';
export { batchWrites, COPY_BELOW, joinData, sizeOf, WriteBuffer } from './write-buffer.js';
export * from './basic/index.js';
export * from './framing/index.js';
