// Tests: tests/testing/connection-pair.test.ts
import {
  type Connection,
  StreamConnection,
  type StreamConnectionOptions,
  type StreamProtocol,
} from '../protocols/index.js';
import { type MemoryTransportOptions, memoryTransportPair } from './memory-transport.js';

/** Options of {@link connectionPair}. */
export interface ConnectionPairOptions extends MemoryTransportOptions, StreamConnectionOptions {
  /** A stream protocol to run on the first (client) end. */
  client?: StreamProtocol;
  /** A stream protocol to run on the second (server) end. */
  server?: StreamProtocol;
}

/**
 * Two in-memory connected {@link Connection}s, `[client, server]`: what one
 * writes the other reads, asynchronously, with backpressure and half-close,
 * as over a socket but with no socket and no time. Optionally run a stream
 * protocol on either end.
 *
 * Unlike a socket, the pair knows a half-close (`end()`) from a full close
 * (`close()`): after the peer's `end()` an end stays writable until it is
 * closed itself (`allowHalfOpen` defaults to true here); after the peer's
 * `close()` it closes too, once it has read what was sent.
 *
 * @example
 * ```ts
 * const [client, server] = connectionPair();
 * await client.end('ping');
 * for await (const chunk of server) console.log(new TextDecoder().decode(chunk)); // ping
 * ```
 */
export function connectionPair(options: ConnectionPairOptions = {}): [Connection, Connection] {
  const [ct, st] = memoryTransportPair(options);
  const connOptions = { allowHalfOpen: true, ...options };
  const client = new StreamConnection(options.client, connOptions);
  const server = new StreamConnection(options.server, connOptions);
  st.attach(server);
  ct.attach(client);
  return [client, server];
}
