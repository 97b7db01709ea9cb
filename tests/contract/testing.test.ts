import { describe, expect, it } from 'vitest';
import {
  type Connection,
  connectionPair,
  type Failure,
  FakeConnector,
  loopback,
  MemoryReactor,
  Protocol,
  StringTransport,
} from '../../lib/index.js';

const dec = (b: Uint8Array): string => Buffer.from(b).toString();

describe('StringTransport', () => {
  it('records writes (strings as UTF-8) in value(); clear() empties it', () => {
    const t = new StringTransport();
    t.write('é');
    t.writeSequence([new Uint8Array([33]), 'x']);
    expect(Array.from(t.value())).toEqual([0xc3, 0xa9, 33, 120]);
    t.clear();
    expect(t.value().length).toBe(0);
  });

  it('loseConnection sets disconnecting', () => {
    const t = new StringTransport();
    expect(t.disconnecting).toBe(false);
    t.loseConnection();
    expect(t.disconnecting).toBe(true);
  });

  it('a classic protocol can be driven with no socket', () => {
    class Echo extends Protocol {
      override dataReceived(data: Uint8Array): void {
        this.transport?.write(data);
      }
    }
    const p = new Echo();
    const t = new StringTransport();
    p.makeConnection(t);
    expect(p.connected).toBe(true);
    expect(p.transport).toBe(t);
    p.dataReceived(new TextEncoder().encode('ping'));
    expect(dec(t.value())).toBe('ping');
  });
});

describe("MemoryReactor records in Twisted's tuple order", () => {
  it('records every listen and connect kind', async () => {
    const r = new MemoryReactor();
    const f = Protocol;
    await r.listenTCP(1, f);
    r.connectTCP('h', 2, f);
    await r.listenSSL(3, f, {});
    r.connectSSL('h', 4, f, {});
    await r.listenUNIX('/a', f);
    r.connectUNIX('/b', f);
    await r.listenUDP(5, {});
    expect(r.tcpServers).toEqual([[1, f, 511, '']]);
    expect(r.tcpClients).toEqual([['h', 2, f, 30, undefined]]);
    expect(r.sslServers).toEqual([[3, f, {}, 511, '']]);
    expect(r.sslClients).toEqual([['h', 4, f, {}, 30, undefined]]);
    expect(r.unixServers).toEqual([['/a', f, 511, 0o666, false]]);
    expect(r.unixClients).toEqual([['/b', f, 30, false]]);
    expect(r.udpServers).toEqual([[5, {}, '', 8192]]);
  });

  it('connects return a connector whose destination is the address', () => {
    const r = new MemoryReactor();
    const c = r.connectTCP('example.com', 80, Protocol);
    expect(c).toBeInstanceOf(FakeConnector);
    expect(c.getDestination()).toEqual({ type: 'TCP', host: 'example.com', port: 80 });
  });

  it('is a Clock too: seconds starts at 0 and advance runs calls', () => {
    const r = new MemoryReactor();
    const seen: number[] = [];
    r.callLater(1, () => seen.push(r.seconds()));
    r.advance(1);
    expect(seen).toEqual([1]);
  });
});

describe('connectionPair', () => {
  it('gives two connected in-memory ends; end() closes cleanly and the peer iteration ends', async () => {
    const [a, b]: [Connection, Connection] = connectionPair();
    await a.write('hi');
    await a.end();
    const got: string[] = [];
    for await (const chunk of b) got.push(dec(chunk));
    expect(got.join('')).toBe('hi');
    b.close();
    await Promise.all([a.closed, b.closed]);
    expect(a.signal.aborted && b.signal.aborted).toBe(true);
  });

  it('abort() makes the peer iteration throw ConnectionLost', async () => {
    const [a, b] = connectionPair();
    a.abort();
    const { ConnectionLost } = await import('../../lib/index.js');
    await expect(
      (async () => {
        for await (const _ of b) {
          /* drain */
        }
      })(),
    ).rejects.toBeInstanceOf(ConnectionLost);
  });
});

describe('loopback', () => {
  it('pumps two classic protocols together and resolves when both lost their connections', async () => {
    const reasons: Failure[] = [];
    class Server extends Protocol {
      override dataReceived(data: Uint8Array): void {
        this.transport?.write(data);
        this.transport?.loseConnection();
      }
      override connectionLost(reason: Failure): void {
        reasons.push(reason);
      }
    }
    const got: string[] = [];
    class Client extends Protocol {
      override connectionMade(): void {
        this.transport?.write('ping');
      }
      override dataReceived(data: Uint8Array): void {
        got.push(dec(data));
      }
      override connectionLost(reason: Failure): void {
        reasons.push(reason);
      }
    }
    await loopback(new Server(), new Client());
    expect(got.join('')).toBe('ping');
    expect(reasons).toHaveLength(2);
  });
});
