import { describe, expect, it } from 'vitest';
import {
  Clock,
  LineReceiver,
  Protocol,
  StringTransport,
  TimeoutMixin,
} from '../../../lib/index.js';

class Idle extends TimeoutMixin(Protocol) {
  timedOut = 0;
  constructor(clock: Clock) {
    super();
    this.clock = clock;
  }
  override timeoutConnection() {
    this.timedOut += 1;
    super.timeoutConnection();
  }
}

function connected(clock = new Clock()) {
  const proto = new Idle(clock);
  const transport = new StringTransport();
  proto.makeConnection(transport);
  return { clock, proto, transport };
}

describe('TimeoutMixin', () => {
  it('closes the connection once the timeout expires', () => {
    const { clock, proto, transport } = connected();
    proto.setTimeout(3);
    clock.advance(2.9);
    expect(transport.disconnecting).toBe(false);
    clock.advance(0.1);
    expect(proto.timedOut).toBe(1);
    expect(transport.disconnecting).toBe(true);
  });

  it('restarts the countdown from the full timeout on resetTimeout', () => {
    const { clock, proto, transport } = connected();
    proto.setTimeout(3);
    clock.advance(2);
    proto.resetTimeout();
    clock.advance(2);
    expect(transport.disconnecting).toBe(false);
    clock.advance(1);
    expect(transport.disconnecting).toBe(true);
  });

  it('setTimeout(null) cancels and returns the previous timeout', () => {
    const { clock, proto, transport } = connected();
    expect(proto.setTimeout(3)).toBeNull();
    expect(proto.setTimeout(null)).toBe(3);
    expect(clock.getDelayedCalls()).toHaveLength(0);
    clock.advance(10);
    expect(transport.disconnecting).toBe(false);
    proto.resetTimeout(); // harmless without a timeout
    expect(clock.getDelayedCalls()).toHaveLength(0);
  });

  it('changing the timeout restarts the countdown with the new period', () => {
    const { clock, proto, transport } = connected();
    proto.setTimeout(10);
    clock.advance(5);
    expect(proto.setTimeout(2)).toBe(10);
    clock.advance(1.5);
    expect(transport.disconnecting).toBe(false);
    clock.advance(0.5);
    expect(transport.disconnecting).toBe(true);
  });

  it('can be set again after it fired', () => {
    const { clock, proto } = connected();
    proto.setTimeout(1);
    clock.advance(1);
    proto.resetTimeout(); // the fired call is not reused
    proto.setTimeout(1);
    clock.advance(1);
    expect(proto.timedOut).toBe(2);
  });

  it('mixes into a LineReceiver, which keeps its own behaviour', () => {
    const clock = new Clock();
    const lines: string[] = [];
    class Chat extends TimeoutMixin(LineReceiver) {
      override clock = clock;
      override connectionMade() {
        this.setTimeout(5);
      }
      override dataReceived(data: Uint8Array) {
        this.resetTimeout();
        super.dataReceived(data);
      }
      override lineReceived(line: Uint8Array) {
        lines.push(Buffer.from(line).toString());
      }
    }
    const proto = new Chat();
    const transport = new StringTransport();
    proto.makeConnection(transport);
    clock.advance(4);
    proto.dataReceived(Buffer.from('hello\r\n'));
    clock.advance(4);
    expect(lines).toEqual(['hello']);
    expect(transport.disconnecting).toBe(false);
    clock.advance(1);
    expect(transport.disconnecting).toBe(true);
  });

  it('schedules through an overridden callLater (as Twisted)', () => {
    const clock = new Clock();
    const scheduled: number[] = [];
    class Custom extends TimeoutMixin(Protocol) {
      override callLater(period: number, fn: () => void) {
        scheduled.push(period);
        return clock.callLater(period, fn);
      }
    }
    new Custom().setTimeout(10);
    expect(scheduled).toEqual([10]);
    expect(clock.getDelayedCalls()).toHaveLength(1);
  });

  it('setTimeout(null) is harmless after the timer was cancelled elsewhere', () => {
    const { clock, proto } = connected();
    proto.setTimeout(3);
    clock.getDelayedCalls()[0]!.cancel();
    expect(proto.setTimeout(null)).toBe(3);
    expect(proto.timeOut).toBeNull();
  });
});
