export { type AddressFamily, adoptStreamPort } from './adopt.js';
export { StdioPort, type StdioStreams } from './stdio.js';
export type {
  ConnectionClosedMessage,
  ConnectionOpenedMessage,
  ListenMessage,
  TLSHandshakeFailedMessage,
} from './connection-events.js';
export { type ConnectorState, Connector, type DialSpec } from './connector.js';
export {
  AlreadyConnectedError,
  AlreadyListeningError,
  BadFileError,
  CannotListenError,
  ConnectBindError,
  ConnectError,
  ConnectionRefusedError,
  ConnectorStateError,
  ConnectTimeoutError,
  DNSLookupError,
  InvalidAddressError,
  LockHeldError,
  MessageLengthError,
  MulticastJoinError,
  NoRouteError,
  NotConnectingError,
  NotListeningError,
  nodeErrorCode,
  TLSError,
  toConnectError,
  toTLSError,
  UserError,
} from './errors.js';
export type {
  BindAddress,
  IListeningPort,
  IReactor,
  IReactorMulticast,
  IReactorNetwork,
  IReactorSSL,
  IReactorTCP,
  IReactorUDP,
  IReactorUNIX,
} from './interfaces.js';
export { DEFAULT_BACKLOG, type ListenSpec, ListeningPort } from './listening-port.js';
export { Reactor, ReactorNetwork, reactor } from './reactor.js';
export {
  connectionLostReason,
  SocketTransport,
  type SocketTransportOptions,
} from './socket-transport.js';
export { connectTCP, listenTCP } from './tcp.js';
export {
  connectSSL,
  listenSSL,
  nodeTLSOptions,
  type PEM,
  type TLSClientOptions,
  type TLSOptions,
  type TLSServerOptions,
  type TrustRootOptions,
} from './tls.js';
export { connectUNIX, listenUNIX } from './unix.js';
export { listenMulticast, MulticastPort } from './multicast.js';
export { listenUDP, UDPPort } from './udp.js';
export {
  type Datagram,
  type DatagramHandler,
  type DatagramHandlerLike,
  type DatagramProtocolClass,
  type DatagramSocket,
  DatagramStream,
  type OutgoingDatagram,
} from './udp-stream.js';
