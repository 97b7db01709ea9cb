import { describe, expect, it } from 'vitest';
import { ClientFactory, Factory, Protocol, StreamConnection, toFactory } from '../../lib/index.js';

const addr = { type: 'TCP' as const, host: '127.0.0.1', port: 1 };

describe('toFactory', () => {
  it('returns a Factory instance as is', () => {
    const f = new ClientFactory();
    expect(toFactory(f)).toBe(f);
  });

  it('wraps a Protocol subclass with Factory.forProtocol', () => {
    class Echo extends Protocol {}
    const f = toFactory(Echo);
    expect(f).toBeInstanceOf(Factory);
    expect(f.protocol).toBe(Echo);
    expect(f.buildProtocol(addr)).toBeInstanceOf(Echo);
  });

  it('tells a Protocol subclass from a stream protocol by its prototype', () => {
    class Sub extends Protocol {}
    class SubSub extends Sub {}
    expect(toFactory(SubSub).buildProtocol(addr)).toBeInstanceOf(SubSub);
    const f = toFactory(async function* () {});
    expect(f.protocol).toBeUndefined();
  });

  it('turns a stream protocol into a factory building StreamConnections', () => {
    const f = toFactory(async () => {});
    const p = f.buildProtocol(addr);
    expect(p).toBeInstanceOf(StreamConnection);
    expect(p?.factory).toBe(f);
    expect(f.buildProtocol(addr)).not.toBe(p);
  });

  it('rejects anything else', () => {
    expect(() => toFactory(42 as never)).toThrow(TypeError);
  });
});
