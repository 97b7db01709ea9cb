// Tests: tests/log/diagnostics.test.ts
//
// woven's named `node:diagnostics_channel` channels, defined here, in the log
// area, because every layer above may publish on them (defer, protocols,
// transports) and imports only point down: the channels are observability,
// as the logger is. Each message shape is declared next to its publisher.
import { channel } from 'node:diagnostics_channel';

/**
 * woven's `node:diagnostics_channel` channels, named as undici names its own
 * (`woven:<subject>:<event>`). A message is built and published only while
 * the channel has subscribers, so an unobserved channel costs one property
 * read. Subscribe by name with `diagnostics_channel.subscribe(name, fn)` or
 * through these objects.
 *
 * | name | message |
 * | --- | --- |
 * | `woven:connection:opened` | `ConnectionOpenedMessage` |
 * | `woven:connection:closed` | `ConnectionClosedMessage` |
 * | `woven:listen:started` | `ListenMessage` |
 * | `woven:listen:stopped` | `ListenMessage` |
 * | `woven:handler:failed` | `HandlerFailedMessage` |
 * | `woven:tls:handshakeFailed` | `TLSHandshakeFailedMessage` |
 * | `woven:deferred:unhandledError` | `{ failure: Failure }` |
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe('woven:connection:closed', (message) => {
 *   const { remoteAddress, bytesReceived, duration } = message as ConnectionClosedMessage;
 *   console.log(remoteAddress, bytesReceived, duration);
 * });
 * ```
 */
export const diagnosticsChannels = {
  /** A TCP, TLS or Unix connection was made (accepted or connected), before its protocol starts. */
  connectionOpened: channel('woven:connection:opened'),
  /** A connection is gone, after its protocol's `connectionLost`. */
  connectionClosed: channel('woven:connection:closed'),
  /** A listening port started listening. */
  listenStarted: channel('woven:listen:started'),
  /** A listening port stopped listening. */
  listenStopped: channel('woven:listen:stopped'),
  /** A protocol's handler threw (classic hooks) or a stream protocol failed. */
  handlerFailed: channel('woven:handler:failed'),
  /** A TLS handshake failed (a client rejected by a server, or a failed `startTLS`). */
  tlsHandshakeFailed: channel('woven:tls:handshakeFailed'),
  /** A Deferred was garbage-collected (or the process exits) holding an unhandled failure. */
  deferredUnhandledError: channel('woven:deferred:unhandledError'),
} as const;
