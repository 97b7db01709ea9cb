import { describe, expect, it } from 'vitest';
import {
  BaseProtocol,
  ConnectionDone,
  ConnectionLost,
  type Failure,
  Protocol,
  StringTransport,
} from '../../lib/index.js';

describe('Protocol', () => {
  it('makeConnection sets transport and connected, then calls connectionMade', () => {
    const seen: unknown[] = [];
    class P extends Protocol {
      override connectionMade() {
        seen.push(this.transport, this.connected);
      }
    }
    const p = new P();
    expect(p.connected).toBe(false);
    expect(p.transport).toBeNull();
    expect(p.factory).toBeNull();
    const t = new StringTransport();
    p.makeConnection(t);
    expect(seen).toEqual([t, true]);
  });

  it('has do-nothing defaults for every callback', () => {
    const p = new Protocol();
    p.makeConnection(new StringTransport());
    expect(() => p.dataReceived(new Uint8Array([1]))).not.toThrow();
    expect(() => p.connectionLost(null as unknown as Failure)).not.toThrow();
    expect(p).toBeInstanceOf(BaseProtocol);
    expect(p.logPrefix()).toBe('Protocol');
  });
});

describe('connection errors', () => {
  it.each([
    [ConnectionDone, 'ConnectionDone', 'ERR_CONNECTION_DONE'],
    [ConnectionLost, 'ConnectionLost', 'ERR_CONNECTION_LOST'],
  ])('%o has a stable name and code', (cls, name, code) => {
    const e = new cls();
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe(name);
    expect(e.code).toBe(code);
  });

  it('ConnectionDone and ConnectionLost are distinct', () => {
    expect(new ConnectionDone()).not.toBeInstanceOf(ConnectionLost);
    expect(new ConnectionLost()).not.toBeInstanceOf(ConnectionDone);
  });
});
