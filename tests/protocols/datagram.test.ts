import { describe, expect, it } from 'vitest';
import { DatagramProtocol, type IUDPTransport } from '../../lib/index.js';

const fakeTransport = (): IUDPTransport => ({
  write() {},
  connect() {},
  getHost: () => ({ type: 'UDP', host: '127.0.0.1', port: 9 }),
  stopListening: async () => {},
  loseConnection() {},
  setBroadcastAllowed() {},
  getBroadcastAllowed: () => false,
});

class Recorder extends DatagramProtocol {
  override noisy = false;
  calls: string[] = [];
  override startProtocol() {
    this.calls.push('start');
  }
  override stopProtocol() {
    this.calls.push('stop');
  }
}

describe('DatagramProtocol', () => {
  it('makeConnection sets the transport and starts the protocol once', () => {
    const p = new Recorder();
    const t = fakeTransport();
    p.makeConnection(t);
    expect(p.transport).toBe(t);
    expect(p.calls).toEqual(['start']);
    p.doStart();
    expect(p.calls).toEqual(['start']);
    expect(p.numPorts).toBe(2);
  });

  it('stops on the last doStop and drops the transport', () => {
    const p = new Recorder();
    p.makeConnection(fakeTransport());
    p.doStop();
    expect(p.transport).toBeNull();
    expect(p.calls).toEqual(['start', 'stop']);
    p.doStop();
    expect(p.calls).toEqual(['start', 'stop']);
  });

  it('refuses a second transport while attached', () => {
    const p = new Recorder();
    p.makeConnection(fakeTransport());
    expect(() => p.makeConnection(fakeTransport())).toThrow();
  });

  it('ignores datagrams by default', () => {
    const p = new DatagramProtocol();
    expect(() =>
      p.datagramReceived(new Uint8Array([1]), { type: 'UDP', host: '127.0.0.1', port: 1 }),
    ).not.toThrow();
  });
});
