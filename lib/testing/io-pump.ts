// Tests: tests/testing/loopback.test.ts
import type { Protocol } from '../protocols/index.js';
import {
  type MemoryTransport,
  type MemoryTransportOptions,
  memoryTransportPair,
} from './memory-transport.js';

/**
 * Moves data between two manual {@link MemoryTransport}s on demand, as
 * Twisted's `iosim.IOPump`: nothing is delivered until you pump, so a test
 * can check the state between steps, synchronously.
 */
export class IOPump {
  /** The client end's transport. */
  readonly clientTransport: MemoryTransport;
  /** The server end's transport. */
  readonly serverTransport: MemoryTransport;

  constructor(clientTransport: MemoryTransport, serverTransport: MemoryTransport) {
    this.clientTransport = clientTransport;
    this.serverTransport = serverTransport;
  }

  /** Deliver what is pending once in each direction. Returns whether anything moved. */
  pump(): boolean {
    // Take both sides' work first: what it causes waits for the next pump.
    const tasks = [...this.clientTransport.takePending(), ...this.serverTransport.takePending()];
    for (const task of tasks) task();
    return tasks.length > 0;
  }

  /**
   * Pump until nothing moves (at most `maxTurns` times; throws if still busy,
   * e.g. two protocols that answer each other forever).
   */
  flush(maxTurns = 1000): void {
    for (let i = 0; i < maxTurns; i++) if (!this.pump()) return;
    throw new Error(`IOPump.flush: still busy after ${maxTurns} turns`);
  }
}

/** What {@link connectedServerAndClient} returns. */
export interface ConnectedServerAndClient<S extends Protocol, C extends Protocol> {
  server: S;
  client: C;
  pump: IOPump;
}

/**
 * Connect `server` and `client` through manual in-memory transports and
 * return them with the {@link IOPump} that moves their data, as Twisted's
 * `iosim.connectedServerAndClient` (connectionMade has run on both; pending
 * data has been flushed).
 *
 * @example
 * ```ts
 * const { server, client, pump } = connectedServerAndClient(new Echo(), new Recorder());
 * client.transport!.write('hi');
 * pump.flush();
 * expect(client.received).toBe('hi');
 * ```
 */
export function connectedServerAndClient<S extends Protocol, C extends Protocol>(
  server: S,
  client: C,
  options: Omit<MemoryTransportOptions, 'manual'> = {},
): ConnectedServerAndClient<S, C> {
  const [ct, st] = memoryTransportPair({ ...options, manual: true });
  st.attach(server);
  ct.attach(client);
  const pump = new IOPump(ct, st);
  pump.flush();
  return { server, client, pump };
}
