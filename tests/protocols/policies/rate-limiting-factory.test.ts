// RateLimitingFactory: new connections served at most `rate` per second
// (p-queue interval limits, on fake timers here), those over it wait with
// reading paused, those past the queue bound are refused and logged.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Protocol,
  type RateLimitedProtocol,
  RateLimitingFactory,
  StringTransportWithDisconnection,
} from '../../../lib/index.js';
import { peer } from './helpers.js';
import { captureLog } from '../../helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

class Recorder extends Protocol {
  static made = 0;
  received = '';
  override connectionMade(): void {
    Recorder.made += 1;
  }
  override dataReceived(data: Uint8Array): void {
    this.received += Buffer.from(data).toString();
  }
}

function accept(factory: RateLimitingFactory, host: string) {
  const proto = factory.buildProtocol(peer(host)) as RateLimitedProtocol;
  const tr = new StringTransportWithDisconnection();
  tr.protocol = proto;
  proto.makeConnection(tr);
  return { proto, tr, wrapped: proto.wrappedProtocol as Recorder };
}

describe('RateLimitingFactory', () => {
  it('serves `rate` per second, holds the next ones paused, refuses past the queue and logs it', async () => {
    vi.useFakeTimers();
    Recorder.made = 0;
    const factory = new RateLimitingFactory(Recorder, { rate: 2, maxWaiting: 1 });
    const served = [accept(factory, '10.0.0.1'), accept(factory, '10.0.0.2')];
    const waiting = accept(factory, '10.0.0.3');
    const log = captureLog();
    const refused = accept(factory, '10.0.0.4');
    await vi.advanceTimersByTimeAsync(0);
    log.stop();
    const events = log.events.filter((e) => e.log_namespace === 'woven.policies');
    expect(Recorder.made).toBe(2);
    expect(served.map((s) => s.tr.producerState)).toEqual(['producing', 'producing']);
    expect(waiting.tr.producerState).toBe('paused');
    expect(refused.tr.disconnected).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]!.peer).toEqual(peer('10.0.0.4'));
    expect(events[0]!.log_level).toBe('warn');
    waiting.proto.dataReceived(Buffer.from('early'));
    expect(waiting.wrapped.received).toBe('');
    await vi.advanceTimersByTimeAsync(1000);
    expect(Recorder.made).toBe(3);
    expect(waiting.wrapped.received).toBe('early');
    expect(waiting.tr.producerState).toBe('producing');
    expect(factory.protocols.size).toBe(3);
  });

  it('a connection lost while waiting leaves the queue and is never served', async () => {
    vi.useFakeTimers();
    Recorder.made = 0;
    const factory = new RateLimitingFactory(Recorder, { rate: 1, maxWaiting: 5 });
    accept(factory, '10.0.0.1');
    const gone = accept(factory, '10.0.0.2');
    expect(factory.queue.waiting).toBe(1);
    gone.tr.loseConnection();
    expect(factory.queue.waiting).toBe(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(Recorder.made).toBe(1);
  });

  it('rejects a rate or a queue bound that is not a count', () => {
    expect(() => new RateLimitingFactory(Recorder, { rate: 0 })).toThrow(RangeError);
    expect(() => new RateLimitingFactory(Recorder, { rate: 1.5 })).toThrow(RangeError);
    expect(() => new RateLimitingFactory(Recorder, { rate: 1, maxWaiting: -1 })).toThrow(
      RangeError,
    );
  });
});
