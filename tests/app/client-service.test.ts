import { describe, expect, it } from 'vitest';
import {
  backoffPolicy,
  CancelledError,
  ClientService,
  Clock,
  type Connection,
  connectionPair,
  clientFromString,
  Failure,
  listen,
  Protocol,
  reactor,
} from '../../lib/index.js';
import { turns } from '../helpers.js';

type Outcome = 'refuse' | 'accept';

/** A client endpoint whose attempts succeed or fail as scripted; keeps the server ends. */
class ScriptedEndpoint {
  attempts = 0;
  readonly servers: Connection[] = [];
  constructor(private readonly script: Outcome[]) {}
  async connect(): Promise<Connection> {
    const outcome = this.script[this.attempts++] ?? 'refuse';
    if (outcome === 'refuse') throw new Error('connection refused');
    const [client, server] = connectionPair();
    this.servers.push(server);
    return client;
  }
}

describe('backoffPolicy', () => {
  it('grows by factor from initialDelay up to maxDelay, plus jitter', () => {
    const policy = backoffPolicy({ jitter: () => 0 });
    expect([0, 1, 2, 3].map(policy)).toEqual([1, 1.5, 2.25, 3.375]);
    expect(policy(50)).toBe(60);
    expect(policy(1e9)).toBe(60);
    expect(backoffPolicy({ jitter: () => 0.5 })(0)).toBe(1.5);
    expect(backoffPolicy({ initialDelay: 2, factor: 2, maxDelay: 5, jitter: () => 0 })(2)).toBe(5);
  });
});

describe('ClientService', () => {
  it('connects at start and gives the Connection to whenConnected', async () => {
    const endpoint = new ScriptedEndpoint(['accept']);
    const service = new ClientService(endpoint, undefined, { clock: new Clock() });
    const waiting = service.whenConnected();
    service.startService();
    const conn = await waiting;
    expect(conn).toBeDefined();
    expect(await service.whenConnected()).toBe(conn);
    await service.stopService();
  });

  it('retries after retryPolicy(failedAttempts) seconds', async () => {
    const clock = new Clock();
    const endpoint = new ScriptedEndpoint(['refuse', 'refuse', 'accept']);
    const delays: number[] = [];
    const service = new ClientService(endpoint, undefined, {
      clock,
      retryPolicy: (n) => {
        delays.push(n);
        return n * 10;
      },
    });
    service.startService();
    await turns();
    expect(endpoint.attempts).toBe(1);
    clock.advance(9.9);
    expect(endpoint.attempts).toBe(1);
    clock.advance(0.1);
    await turns();
    expect(endpoint.attempts).toBe(2);
    clock.advance(20);
    await turns();
    expect(endpoint.attempts).toBe(3);
    expect(delays).toEqual([1, 2]);
    await service.whenConnected();
    await service.stopService();
  });

  it('reconnects when the connection is lost', async () => {
    const clock = new Clock();
    const endpoint = new ScriptedEndpoint(['accept', 'accept']);
    const service = new ClientService(endpoint, undefined, { clock, retryPolicy: () => 5 });
    service.startService();
    const first = await service.whenConnected();
    await endpoint.servers[0]?.close();
    await (first as Connection).closed;
    await turns();
    const next = service.whenConnected();
    expect(next.called).toBe(false);
    clock.advance(5);
    const second = await next;
    expect(second).not.toBe(first);
    expect(endpoint.attempts).toBe(2);
    await service.stopService();
  });

  it('fails pending whenConnected calls with CancelledError when stopped, and stops retrying', async () => {
    const clock = new Clock();
    const endpoint = new ScriptedEndpoint([]);
    const service = new ClientService(endpoint, undefined, { clock, retryPolicy: () => 1 });
    service.startService();
    await turns();
    const pending = service.whenConnected();
    await service.stopService();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    clock.advance(10);
    await turns();
    expect(endpoint.attempts).toBe(1);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it('closes the connection when stopped, and fires once it is closed', async () => {
    const endpoint = new ScriptedEndpoint(['accept']);
    const service = new ClientService(endpoint, undefined, { clock: new Clock() });
    service.startService();
    const conn = (await service.whenConnected()) as Connection;
    await service.stopService();
    expect(conn.signal.aborted).toBe(true);
    expect(service.running).toBe(false);
  });

  it('gives the connected protocol for a classic handler and notices its connectionLost', async () => {
    const clock = new Clock();
    const lost: Failure[] = [];
    class Client extends Protocol {
      override connectionLost(reason: Failure) {
        lost.push(reason);
      }
    }
    const protocols: Client[] = [];
    const endpoint = {
      async connect() {
        const p = new Client();
        p.transport = {
          loseConnection: () => p.connectionLost(new Failure(new Error('closed'))),
        } as never;
        protocols.push(p);
        return p;
      },
    };
    const service = new ClientService(endpoint, Client, { clock, retryPolicy: () => 1 });
    service.startService();
    const proto = await service.whenConnected();
    expect(proto).toBe(protocols[0]);
    protocols[0]?.connectionLost(new Failure(new Error('gone')));
    expect(lost).toHaveLength(1);
    clock.advance(1);
    expect(await service.whenConnected()).toBe(protocols[1]);
    await service.stopService();
    expect(lost).toHaveLength(2);
  });
});

describe('ClientService over real TCP', () => {
  it('connects to a real server, hands out the Connection, and reconnects after the server drops it', async () => {
    let accepted = 0;
    const port = await listen('tcp:0:interface=127.0.0.1', async function* (conn) {
      accepted++;
      if (accepted === 1) return; // drop the first connection at once
      for await (const chunk of conn) yield chunk;
    });
    const { port: portNumber } = port.getHost() as { port: number };
    const connections: Connection[] = [];
    let reconnected!: (conn: Connection) => void;
    const second = new Promise<Connection>((resolve) => {
      reconnected = resolve;
    });
    const service = new ClientService(
      clientFromString(reactor, `tcp:127.0.0.1:${portNumber}`),
      undefined,
      {
        retryPolicy: () => 0.01,
        prepareConnection: (c) => {
          if (connections.push(c as Connection) === 2) reconnected(c as Connection);
        },
      },
    );
    try {
      service.startService();
      const first = (await service.whenConnected()) as Connection;
      await first.closed;
      const conn = await second;
      expect(conn).not.toBe(first);
      expect(connections[0]).toBe(first);
      await conn.write('round trip');
      const iterator = conn[Symbol.asyncIterator]();
      const { value } = await iterator.next();
      expect(Buffer.from(value as Uint8Array).toString()).toBe('round trip');
      await service.stopService();
      expect(conn.signal.aborted).toBe(true);
    } finally {
      await port.stopListening();
    }
  });
});
