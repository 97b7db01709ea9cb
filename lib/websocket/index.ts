export { type ConnectWebSocketOptions, connectWebSocket } from './client.js';
export { connectionDuplex } from './duplex.js';
export { HandshakeTimeoutError } from './errors.js';
export { type WebSocketHandler, type WebSocketServerOptions, webSocketServer } from './server.js';
export {
  DEFAULT_MAX_PAYLOAD,
  DEFAULT_MAX_UNREAD_BYTES,
  type WebSocketCloseInfo,
  WebSocketConnection,
  type WebSocketConnectionOptions,
  type WebSocketMessage,
} from './web-socket.js';
