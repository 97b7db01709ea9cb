// Tests: tests/log/diagnostics.test.ts
import { diagnosticsChannels as channels } from '../log/index.js';
import type { Address } from './address.js';

/** What `woven:handler:failed` carries. */
export interface HandlerFailedMessage {
  /** What the handler threw (or the error its stream protocol failed with). */
  error: unknown;
  /** The protocol's log prefix (its class name, or `StreamConnection` for a stream protocol). */
  protocol: string;
  /** Where it failed: `connectionMade`, `dataReceived`, `connectionLost`, ..., or `stream`. */
  method: string;
  /** The peer's address, when the connection has one. */
  remoteAddress: Address | null;
}

/** Publish `woven:handler:failed` if anyone listens. */
export function publishHandlerFailure(
  error: unknown,
  protocol: { logPrefix(): string; transport?: { getPeer(): Address } | null },
  method: string,
): void {
  if (!channels.handlerFailed.hasSubscribers) return;
  const message: HandlerFailedMessage = {
    error,
    protocol: protocol.logPrefix(),
    method,
    remoteAddress: protocol.transport?.getPeer() ?? null,
  };
  channels.handlerFailed.publish(message);
}
