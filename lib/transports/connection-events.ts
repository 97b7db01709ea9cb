// Tests: tests/log/diagnostics.test.ts
import type { Socket } from 'node:net';
import { diagnosticsChannels as channels } from '../log/index.js';
import type { Address, ITransport } from '../protocols/index.js';

/** What `woven:connection:opened` carries. */
export interface ConnectionOpenedMessage {
  /** The connection's transport (`protocol.transport`). */
  transport: ITransport;
  /** This side's address. */
  localAddress: Address;
  /** The peer's address. */
  remoteAddress: Address;
  /** The listening port's address for an accepted connection; `null` for an outgoing one. */
  listeningAddress: Address | null;
  /** Whether the connection runs over TLS from its start. */
  secure: boolean;
}

/** What `woven:connection:closed` carries: the opening message's fields and the totals. */
export interface ConnectionClosedMessage extends ConnectionOpenedMessage {
  /** Bytes read from the socket over the connection's life. */
  bytesReceived: number;
  /** Bytes written to the socket over the connection's life. */
  bytesSent: number;
  /** Seconds since the connection opened; `null` when it opened before anyone subscribed. */
  duration: number | null;
  /** Why it closed: a `ConnectionDone` (clean), `ConnectionLost` or `ConnectionAborted`. */
  reason: Error;
}

/** What `woven:listen:started` and `woven:listen:stopped` carry. */
export interface ListenMessage {
  /** The port (a `ListeningPort`). */
  port: {
    /** The address the port listens on. */
    getHost(): Address;
  };
  /** The address it listens on. */
  address: Address;
}

/** What `woven:tls:handshakeFailed` carries. */
export interface TLSHandshakeFailedMessage {
  /** The failure: a `TLSError` (with Node's `code`) or Node's own error. */
  error: Error;
  /** The peer's address. */
  remoteAddress: Address;
  /** Whether woven was the TLS server. */
  isServer: boolean;
}

/** The transport as these messages need it. */
interface Observed extends ITransport {
  readonly socket: Socket;
  readonly secure: boolean;
}

const openedAt = new WeakMap<ITransport, number>();

function opening(transport: Observed, listeningAddress: Address | null): ConnectionOpenedMessage {
  return {
    transport,
    localAddress: transport.getHost(),
    remoteAddress: transport.getPeer(),
    listeningAddress,
    secure: transport.secure,
  };
}

/** Publish `woven:connection:opened` (call only when it has subscribers). */
export function publishOpened(transport: Observed, listeningAddress: Address | null): void {
  openedAt.set(transport, performance.now());
  channels.connectionOpened.publish(opening(transport, listeningAddress));
}

/** Publish `woven:connection:closed` (call only when it has subscribers). */
export function publishClosed(
  transport: Observed,
  listeningAddress: Address | null,
  reason: Error,
): void {
  const start = openedAt.get(transport);
  const socket = transport.socket;
  const message: ConnectionClosedMessage = {
    ...opening(transport, listeningAddress),
    bytesReceived: socket.bytesRead,
    bytesSent: socket.bytesWritten,
    duration: start === undefined ? null : (performance.now() - start) / 1000,
    reason,
  };
  channels.connectionClosed.publish(message);
}

/** Publish `woven:tls:handshakeFailed` if anyone listens. */
export function publishTLSFailure(error: Error, socket: Socket, isServer: boolean): void {
  if (!channels.tlsHandshakeFailed.hasSubscribers) return;
  const message: TLSHandshakeFailedMessage = {
    error,
    remoteAddress: { type: 'TCP', host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
    isServer,
  };
  channels.tlsHandshakeFailed.publish(message);
}
