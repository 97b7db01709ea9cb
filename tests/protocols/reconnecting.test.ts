import { describe, expect, it } from 'vitest';
import {
  Clock,
  Failure,
  type IConnector,
  Protocol,
  ReconnectingClientFactory,
  reactor,
} from '../../lib/index.js';

class FakeConnector implements IConnector {
  connects = 0;
  stops = 0;
  connect(): void {
    this.connects += 1;
  }
  disconnect(): void {}
  stopConnecting(): void {
    this.stops += 1;
  }
  getDestination() {
    return { type: 'TCP' as const, host: '127.0.0.1', port: 1 };
  }
}

function quietFactory(clock = new Clock()): ReconnectingClientFactory {
  const f = new ReconnectingClientFactory();
  f.noisy = false;
  f.clock = clock;
  return f;
}

const lost = new Failure(new Error('lost'));

describe('ReconnectingClientFactory', () => {
  it('has Twisted’s back-off parameters', () => {
    const f = new ReconnectingClientFactory();
    expect(f.initialDelay).toBe(1.0);
    expect(f.maxDelay).toBe(3600);
    expect(f.factor).toBe(Math.E);
    expect(f.jitter).toBeCloseTo(0.1196, 4);
    expect(f.delay).toBe(1.0);
    expect(f.retries).toBe(0);
    expect(f.continueTrying).toBe(true);
    expect(f.maxRetries ?? null).toBeNull();
  });

  it('does not reconnect after stopTrying while connected (test_stopTryingWhenConnected)', () => {
    const f = quietFactory();
    f.protocol = Protocol;
    f.buildProtocol({ type: 'TCP', host: '127.0.0.1', port: 1 });
    f.stopTrying();
    const connector = {
      ...new FakeConnector(),
      connect() {
        throw new Error("Shouldn't be reconnecting.");
      },
      stopConnecting() {
        throw new Error("Shouldn't be called, we're connected.");
      },
    } as unknown as IConnector;
    f.clientConnectionLost(connector, lost);
    expect(f.continueTrying).toBe(false);
  });

  it('does not retry when stopTrying makes the active attempt fail (test_stopTryingDoesNotReconnect)', () => {
    const clock = new Clock();
    const f = quietFactory(clock);
    let attemptedRetry = false;
    f.connector = {
      connect() {
        attemptedRetry = true;
      },
      disconnect() {},
      stopConnecting() {
        f.clientConnectionFailed(this, lost);
      },
      getDestination: () => ({ type: 'TCP', host: '127.0.0.1', port: 1 }),
    };
    f.stopTrying();
    expect(attemptedRetry).toBe(false);
    expect(clock.getDelayedCalls()).toHaveLength(0);
  });

  it('schedules the retry on its clock (test_parametrizedClock)', () => {
    const clock = new Clock();
    const f = quietFactory(clock);
    const connector = new FakeConnector();
    f.clientConnectionLost(connector, lost);
    expect(clock.getDelayedCalls()).toHaveLength(1);
    clock.advance(f.delay);
    expect(connector.connects).toBe(1);
    expect(clock.getDelayedCalls()).toHaveLength(0);
  });

  it('defaults its clock to the reactor', () => {
    expect(new ReconnectingClientFactory().clock).toBe(reactor);
  });

  it('grows the delay by factor up to maxDelay when jitter is 0', () => {
    const clock = new Clock();
    const f = quietFactory(clock);
    f.jitter = 0;
    f.maxDelay = 10;
    const connector = new FakeConnector();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      f.clientConnectionFailed(connector, lost);
      delays.push(f.delay);
      clock.advance(f.delay);
    }
    expect(delays[0]).toBeCloseTo(Math.E);
    expect(delays[1]).toBeCloseTo(Math.E ** 2);
    expect(delays.slice(2)).toEqual([10, 10]);
    expect(connector.connects).toBe(4);
    expect(f.retries).toBe(4);
  });

  it('spreads delays around the back-off value with jitter', () => {
    const f = quietFactory();
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      f.resetDelay();
      f.retry(new FakeConnector());
      samples.push(f.delay);
      f.stopTrying();
      f.continueTrying = true;
    }
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeGreaterThan(Math.E * 0.9);
    expect(mean).toBeLessThan(Math.E * 1.1);
    expect(new Set(samples).size).toBeGreaterThan(1);
  });

  it('gives up after maxRetries', () => {
    const clock = new Clock();
    const f = quietFactory(clock);
    f.maxRetries = 2;
    const connector = new FakeConnector();
    for (let i = 0; i < 3; i++) {
      f.clientConnectionFailed(connector, lost);
      clock.advance(f.maxDelay);
    }
    expect(connector.connects).toBe(2);
    expect(clock.getDelayedCalls()).toHaveLength(0);
  });

  it('resetDelay restores the initial delay and retry count', () => {
    const f = quietFactory();
    f.clientConnectionFailed(new FakeConnector(), lost);
    f.stopTrying();
    f.resetDelay();
    expect(f.delay).toBe(f.initialDelay);
    expect(f.retries).toBe(0);
    expect(f.continueTrying).toBe(true);
  });

  it('stopTrying cancels a pending retry and stops the connector', () => {
    const clock = new Clock();
    const f = quietFactory(clock);
    const connector = new FakeConnector();
    f.clientConnectionFailed(connector, lost);
    f.stopTrying();
    expect(clock.getDelayedCalls()).toHaveLength(0);
    expect(connector.stops).toBe(1);
    clock.advance(10000);
    expect(connector.connects).toBe(0);
  });

  it('stopTrying ignores NotConnectingError from the connector', () => {
    const f = quietFactory();
    f.connector = {
      ...new FakeConnector(),
      connect() {},
      disconnect() {},
      getDestination: () => ({ type: 'TCP', host: '127.0.0.1', port: 1 }),
      stopConnecting() {
        const e = new Error('not connecting');
        e.name = 'NotConnectingError';
        throw e;
      },
    };
    expect(() => f.stopTrying()).not.toThrow();
  });

  it('retry without any connector throws', () => {
    expect(() => quietFactory().retry()).toThrow(TypeError);
  });
});
