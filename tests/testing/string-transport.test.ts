import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  ConnectionDone,
  type Failure,
  Protocol,
  StringTransport,
  StringTransportWithDisconnection,
} from '../../lib/index.js';

describe('StringTransport', () => {
  it('records writes, strings as UTF-8, until clear()', () => {
    const t = new StringTransport();
    t.write(Buffer.from('ab'));
    t.write('é');
    t.writeSequence(['c', new Uint8Array([0x64])]);
    expect(t.value()).toEqual(Buffer.from('abécd'));
    t.clear();
    expect(t.value().length).toBe(0);
    t.write('x');
    expect(t.value().toString()).toBe('x');
  });

  it('copies written bytes so later changes by the writer do not show', () => {
    const t = new StringTransport();
    const buf = Buffer.from('abc');
    t.write(buf);
    buf[0] = 0x7a;
    expect(t.value().toString()).toBe('abc');
  });

  it('loseConnection sets disconnecting; abortConnection also sets disconnected', () => {
    const t = new StringTransport();
    expect(t.disconnecting).toBe(false);
    t.loseConnection();
    expect(t.disconnecting).toBe(true);
    expect(t.disconnected).toBe(false);
    const t2 = new StringTransport();
    t2.abortConnection();
    expect(t2.disconnecting).toBe(true);
    expect(t2.disconnected).toBe(true);
  });

  it('reports fake default addresses unless given others', () => {
    const t = new StringTransport();
    expect(t.getPeer()).toEqual({ type: 'TCP', host: '192.168.1.1', port: 54321 });
    expect(t.getHost()).toEqual({ type: 'TCP', host: '10.0.0.1', port: 12345 });
    const host = { type: 'TCP' as const, host: '127.0.0.1', port: 1 };
    const peer = { type: 'UNIX' as const, name: '/tmp/s' };
    const t2 = new StringTransport(host, peer);
    expect(t2.getHost()).toBe(host);
    expect(t2.getPeer()).toBe(peer);
    expect(new StringTransport({ peerAddress: peer }).getPeer()).toBe(peer);
    expect(new StringTransport({ peerAddress: peer }).getHost()).toEqual(t.getHost());
  });

  it('records one producer at a time with its streaming flag', () => {
    const t = new StringTransport();
    const producer = { stopProducing() {}, resumeProducing() {} };
    t.registerProducer(producer, false);
    expect(t.producer).toBe(producer);
    expect(t.streaming).toBe(false);
    expect(() => t.registerProducer(producer, true)).toThrow();
    t.unregisterProducer();
    expect(t.producer).toBeNull();
    expect(t.streaming).toBeNull();
    expect(() => t.unregisterProducer()).toThrow();
  });

  it('records pause, resume and stop in producerState', () => {
    const t = new StringTransport();
    expect(t.producerState).toBe('producing');
    t.pauseProducing();
    expect(t.producerState).toBe('paused');
    t.resumeProducing();
    expect(t.producerState).toBe('producing');
    t.stopProducing();
    expect(t.producerState).toBe('stopped');
    expect(() => t.resumeProducing()).toThrow();
  });

  it('refuses to pause or resume after loseConnection unless lenient', () => {
    const strict = new StringTransport();
    strict.loseConnection();
    expect(() => strict.resumeProducing()).toThrow();
    expect(() => strict.pauseProducing()).toThrow();
    const lenient = new StringTransport(null, null, true);
    lenient.loseConnection();
    lenient.pauseProducing();
    lenient.resumeProducing();
    expect(lenient.producerState).toBe('producing');
    const lenient2 = new StringTransport({ lenient: true });
    lenient2.loseConnection();
    lenient2.pauseProducing();
    expect(lenient2.producerState).toBe('paused');
  });
});

describe('StringTransportWithDisconnection', () => {
  it('tells its protocol the connection was lost cleanly, once', () => {
    const reasons: Failure[] = [];
    class P extends Protocol {
      override connectionLost(reason: Failure) {
        reasons.push(reason);
      }
    }
    const t = new StringTransportWithDisconnection();
    const p = new P();
    t.protocol = p;
    p.makeConnection(t);
    t.loseConnection();
    t.loseConnection();
    expect(reasons).toHaveLength(1);
    expect(reasons[0]!.check(ConnectionDone)).toBe(ConnectionDone);
    expect(t.connected).toBe(false);
    expect(t.disconnecting).toBe(true);
  });
});
