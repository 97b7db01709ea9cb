// Tests: tests/testing/loopback.test.ts
import type { Protocol } from '../protocols/index.js';
import { type MemoryTransportOptions, memoryTransportPair } from './memory-transport.js';

/**
 * Connect two classic protocols through in-memory transports and pump data
 * between them until both have lost their connections, as Twisted's
 * `loopback.loopbackAsync`. The server is connected first.
 *
 * @example
 * ```ts
 * const server = new EchoProtocol();
 * const client = new RecordingClient(); // writes, then loseConnection()
 * await loopback(server, client);
 * ```
 */
export async function loopback(
  server: Protocol,
  client: Protocol,
  options: MemoryTransportOptions = {},
): Promise<void> {
  const [ct, st] = memoryTransportPair(options);
  st.attach(server);
  ct.attach(client);
  await Promise.all([st.lost, ct.lost]);
}
