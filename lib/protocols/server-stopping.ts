// Tests: tests/runner/cli.test.ts (a graceful stop tells every open connection)
import type { Protocol } from './protocol.js';

/**
 * A protocol that handles its server stopping itself, instead of having its
 * transport closed: a {@link StreamConnection} ends its iteration and aborts
 * its `signal` with the reason, so its handler can finish a reply.
 */
export interface IServerStoppingProtocol {
  /** The server is stopping for `reason`: finish up and close soon. */
  serverStopping(reason: Error): void;
}

/** Whether `protocol` has its own {@link IServerStoppingProtocol.serverStopping}. */
function handlesServerStopping(protocol: object): protocol is IServerStoppingProtocol {
  return typeof (protocol as Partial<IServerStoppingProtocol>).serverStopping === 'function';
}

/**
 * Tell a server-side protocol that its server is stopping: its own
 * `serverStopping(reason)` when it has one, otherwise `loseConnection()` on
 * its transport (a classic protocol's connection closes once its writes are
 * flushed).
 */
export function tellServerStopping(protocol: Protocol, reason: Error): void {
  if (handlesServerStopping(protocol)) protocol.serverStopping(reason);
  else protocol.transport?.loseConnection();
}
