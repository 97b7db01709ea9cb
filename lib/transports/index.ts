import './network-reactor.js';
import './udp-reactor.js';

export type {
  ConnectionClosedMessage,
  ConnectionOpenedMessage,
  ListenMessage,
  TLSHandshakeFailedMessage,
} from './connection-events.js';
export { type ConnectorState, Connector, type DialSpec } from './connector.js';
export {
  BadFileError,
  CannotListenError,
  ConnectBindError,
  ConnectError,
  ConnectionRefusedError,
  ConnectTimeoutError,
  DNSLookupError,
  NoRouteError,
  NotConnectingError,
  nodeErrorCode,
  TLSError,
  toConnectError,
  toTLSError,
  UserError,
} from './errors.js';
export { DEFAULT_BACKLOG, type ListenSpec, ListeningPort } from './listening-port.js';
export {
  connectionLostReason,
  SocketTransport,
  type SocketTransportOptions,
} from './socket-transport.js';
export { type BindAddress, connectTCP, listenTCP } from './tcp.js';
export { connectSSL, listenSSL, nodeTLSOptions, type PEM, type TLSOptions } from './tls.js';
export { connectUNIX, listenUNIX } from './unix.js';
export { listenMulticast, MulticastPort } from './multicast.js';
export { listenUDP, UDPPort } from './udp.js';
export {
  AlreadyConnectedError,
  InvalidAddressError,
  MessageLengthError,
  MulticastJoinError,
} from './udp-errors.js';
export {
  type Datagram,
  type DatagramHandler,
  type DatagramHandlerLike,
  type DatagramProtocolClass,
  type DatagramSocket,
  DatagramStream,
  type OutgoingDatagram,
} from './udp-stream.js';
