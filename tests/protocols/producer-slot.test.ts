import { describe, expect, it } from 'vitest';
import { ProducerRegisteredError, ProducerSlot } from '../../lib/protocols/index.js';
import { connectionPair } from '../../lib/testing/index.js';

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    pauseProducing: () => calls.push('pause'),
    resumeProducing: () => calls.push('resume'),
    stopProducing: () => calls.push('stop'),
  };
}

describe('ProducerSlot', () => {
  it('pauses a streaming producer once and resumes it once', () => {
    const slot = new ProducerSlot();
    const p = recorder();
    expect(slot.register(p, true, false)).toBe(true);
    expect([slot.streaming, slot.pulling]).toEqual([true, false]);
    slot.pause();
    slot.pause();
    expect(slot.paused).toBe(true);
    slot.resume();
    slot.resume();
    expect(p.calls).toEqual(['pause', 'resume']);
    expect(slot.pull()).toBe(false);
  });

  it('asks a pull producer for more, and never pauses it', () => {
    const slot = new ProducerSlot();
    const p = recorder();
    slot.register(p, false, false);
    slot.pause();
    expect(slot.pull()).toBe(true);
    expect(p.calls).toEqual(['resume']);
  });

  it('refuses a second producer with ProducerRegisteredError', () => {
    const slot = new ProducerSlot();
    slot.register(recorder(), true, false);
    expect(() => slot.register(recorder(), true, false)).toThrow(ProducerRegisteredError);
    try {
      slot.register(recorder(), false, false);
    } catch (error) {
      expect(error).toMatchObject({
        name: 'ProducerRegisteredError',
        code: 'ERR_PRODUCER_REGISTERED',
      });
    }
    slot.unregister();
    expect(slot.register(recorder(), false, false)).toBe(true);
  });

  it('stops a producer registered on a closed consumer, and the registered one when it closes', () => {
    const slot = new ProducerSlot();
    const late = recorder();
    expect(slot.register(late, true, true)).toBe(false);
    expect(late.calls).toEqual(['stop']);
    const p = recorder();
    slot.register(p, true, false);
    slot.stop();
    slot.stop();
    expect(p.calls).toEqual(['stop']);
    expect(slot.registered).toBe(false);
  });

  it('serves the in-memory transports: a second registration throws there too', () => {
    const [a] = connectionPair();
    const transport = (
      a as unknown as { transport: { registerProducer: ProducerSlot['register'] } }
    ).transport;
    expect(() => transport.registerProducer(recorder(), true, false)).toThrow(
      ProducerRegisteredError,
    );
  });
});
