import { describe, expect, it } from 'vitest';
import { ClientFactory, Factory, formatEvent, Protocol } from '../../lib/index.js';
import { loggedWhile } from '../helpers.js';

class P extends Protocol {}

describe('Factory', () => {
  it('forProtocol sets the protocol and buildProtocol links the protocol to the factory', () => {
    const f = Factory.forProtocol(P);
    expect(f).toBeInstanceOf(Factory);
    const p = f.buildProtocol({ type: 'TCP', host: '127.0.0.1', port: 1 });
    expect(p).toBeInstanceOf(P);
    expect(p?.factory).toBe(f);
  });

  it('forProtocol passes extra arguments to the factory constructor', () => {
    class ArgFactory extends ClientFactory {
      constructor(
        readonly a: number,
        readonly b: string,
      ) {
        super();
      }
    }
    const f = ArgFactory.forProtocol(P, 1, 'x');
    expect(f).toBeInstanceOf(ArgFactory);
    expect([f.a, f.b, f.protocol]).toEqual([1, 'x', P]);
  });

  it('calls startFactory on the first doStart and stopFactory on the last doStop', () => {
    const calls: string[] = [];
    class F extends Factory {
      override noisy = false;
      override startFactory() {
        calls.push('start');
      }
      override stopFactory() {
        calls.push('stop');
      }
    }
    const f = new F();
    f.doStart();
    f.doStart();
    expect(calls).toEqual(['start']);
    expect(f.numPorts).toBe(2);
    f.doStop();
    expect(calls).toEqual(['start']);
    f.doStop();
    expect(calls).toEqual(['start', 'stop']);
    f.doStop();
    expect(f.numPorts).toBe(0);
    expect(calls).toEqual(['start', 'stop']);
  });

  it('buildProtocol without a protocol throws', () => {
    expect(() => new Factory().buildProtocol({ type: 'UNIX', name: null })).toThrow(TypeError);
  });
});

describe('Factory logging (test_doStartLoggingStatement, test_doStopLoggingStatement)', () => {
  it('doStart logs the factory itself at info', () => {
    const f = new Factory();
    const [[event]] = loggedWhile(() => f.doStart());
    expect(event?.factory).toBe(f);
    expect(event?.log_level).toBe('info');
    expect(formatEvent(event!)).toBe('Starting factory <Factory>');
  });

  it('doStop logs the factory itself at info', () => {
    class MyFactory extends Factory {
      override numPorts = 1;
    }
    const f = new MyFactory();
    const [[event]] = loggedWhile(() => f.doStop());
    expect(event?.factory).toBe(f);
    expect(formatEvent(event!)).toBe('Stopping factory <MyFactory>');
  });

  it('logPrefix is the class name', () => {
    class SomeKindOfFactory extends Factory {}
    expect(new SomeKindOfFactory().logPrefix()).toBe('SomeKindOfFactory');
  });
});
