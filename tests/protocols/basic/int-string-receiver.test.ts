import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  Int8StringReceiver,
  Int16StringReceiver,
  Int32StringReceiver,
  IntNStringReceiver,
  NotImplementedError,
  StringTooLongError,
  StringTransport,
} from '../../../lib/index.js';

const b = (x: string) => Buffer.from(x, 'latin1');
const s = (x: Uint8Array) => Buffer.from(x).toString('latin1');

type Receiver = IntNStringReceiver & { received: string[] };

function recording(Base: typeof IntNStringReceiver) {
  return class extends Base {
    override MAX_LENGTH = 50;
    received: string[] = [];
    override stringReceived(data: Uint8Array) {
      this.received.push(s(data));
    }
  };
}

const cases = [
  {
    name: 'Int32StringReceiver',
    Cls: recording(Int32StringReceiver),
    prefix: 4,
    illegal: ['\x10\x00\x00\x00aaaaaa'],
    partial: ['\x00\x00\x00', 'hello there', ''],
    data: ['\x00\x00\x00\x03foo', '\x00\x00\x00\x04ubar'],
  },
  {
    name: 'Int16StringReceiver',
    Cls: recording(Int16StringReceiver),
    prefix: 2,
    illegal: ['\x10\x00aaaaaa'],
    partial: ['\x00', 'hello there', ''],
    data: ['\x00\x03foo', '\x00\x04ubar'],
  },
  {
    name: 'Int8StringReceiver',
    Cls: recording(Int8StringReceiver),
    prefix: 1,
    illegal: ['\x00\x00aaaaaa'],
    partial: ['\x08', 'dzadz', ''],
    data: ['\x03foo', '\x04ubar'],
  },
] as const;

describe.each(cases)('$name', ({ Cls, prefix, illegal, partial, data }) => {
  const get = (): [Receiver, StringTransport] => {
    const t = new StringTransport();
    const r = new Cls();
    r.makeConnection(t);
    return [r, t];
  };
  const message = (payload: string) => {
    const head = Buffer.alloc(prefix);
    head.writeUIntBE(payload.length, 0, prefix);
    return Buffer.concat([head, b(payload)]);
  };
  const strings = ['a', 'b'.repeat(16)];

  it('has a prefix of the right size', () => {
    expect(get()[0].prefixLength).toBe(prefix);
  });

  it('receives strings fed one byte at a time', () => {
    const [r] = get();
    for (const x of strings) for (const c of message(x)) r.dataReceived(Uint8Array.of(c));
    expect(r.received).toEqual(strings);
  });

  it('receives strings fed in chunks of every size from 1 to 9', () => {
    const all = Buffer.concat(strings.map(message));
    for (let size = 1; size <= 9; size++) {
      const [r] = get();
      for (let i = 0; i < all.length; i += size) r.dataReceived(all.subarray(i, i + size));
      expect(r.received).toEqual(strings);
    }
  });

  it('delivers nothing from partial data', () => {
    for (const p of partial) {
      const [r] = get();
      for (const c of b(p)) r.dataReceived(Uint8Array.of(c));
      expect(r.received).toEqual([]);
    }
  });

  it('drops the connection on an over-long prefix', () => {
    for (const p of illegal) {
      const [r, t] = get();
      for (const c of b(p)) r.dataReceived(Uint8Array.of(c));
      expect(t.disconnecting).toBe(true);
    }
  });

  it('sends and receives the documented wire format', () => {
    const [r, t] = get();
    r.sendString(b('foo'));
    expect(s(t.value())).toBe(data[0]);
    r.dataReceived(b(data[1]));
    expect(r.received).toEqual(['ubar']);
    t.clear();
    r.sendString('b'.repeat(16));
    expect(t.value()).toEqual(message('b'.repeat(16)));
  });

  it('calls lengthLimitExceeded with a prefix over MAX_LENGTH, not stringReceived', () => {
    const [r] = get();
    const lengths: number[] = [];
    r.lengthLimitExceeded = (n) => lengths.push(n);
    r.MAX_LENGTH = 10;
    r.dataReceived(message('x'.repeat(11)));
    expect(lengths).toEqual([11]);
    expect(r.received).toEqual([]);
  });

  it('exposes the unprocessed bytes as recvd during lengthLimitExceeded', () => {
    const [r] = get();
    const seen: string[] = [];
    r.MAX_LENGTH = 7;
    r.lengthLimitExceeded = () => seen.push(s(r.recvd));
    r.dataReceived(message('too long'));
    expect(seen).toEqual([s(message('too long'))]);
  });

  it('shows the remaining data as recvd inside stringReceived', () => {
    const [r] = get();
    const seen: string[] = [];
    r.stringReceived = () => seen.push(s(r.recvd));
    const incomplete = message('bbbbb').subarray(0, prefix + 4);
    r.dataReceived(Buffer.concat([message('aaaaa'), incomplete]));
    expect(seen).toEqual([s(incomplete)]);
  });

  it('parses from recvd when stringReceived replaces it', () => {
    const [r] = get();
    const result: string[] = [];
    r.stringReceived = (x) => {
      if (result.length === 0) r.recvd = message('ccccc');
      result.push(s(x));
    };
    r.dataReceived(Buffer.concat([message('aaaaa'), message('bbbbb')]));
    expect(result).toEqual(['aaaaa', 'ccccc']);
  });

  it('does not reparse data when stringReceived consumes part of recvd', () => {
    const [r] = get();
    const SWITCH = Buffer.alloc(prefix);
    const result: string[] = [];
    r.stringReceived = (x) => {
      result.push(s(x));
      r.recvd = r.recvd.subarray(SWITCH.length);
    };
    r.dataReceived(Buffer.concat(strings.flatMap((x) => [message(x), SWITCH])));
    r.dataReceived(Uint8Array.of(1));
    expect(result).toEqual(strings);
    expect([...r.recvd]).toEqual([1]);
  });

  it('holds strings while paused', () => {
    const [r, t] = get();
    r.pauseProducing();
    expect(t.producerState).toBe('paused');
    r.dataReceived(message('a'));
    expect(r.received).toEqual([]);
    r.resumeProducing();
    expect(r.received).toEqual(['a']);
  });
});

describe('IntN sendString limits', () => {
  it.each([
    [Int8StringReceiver, 1],
    [Int16StringReceiver, 2],
  ] as const)('refuses a string too long for the prefix', (Cls, prefix) => {
    const r = new Cls();
    r.makeConnection(new StringTransport());
    expect(() => r.sendString(Buffer.alloc(2 ** (prefix * 8) + 1))).toThrow(StringTooLongError);
  });

  it('throws NotImplementedError when stringReceived is not overridden', () => {
    expect(() => new IntNStringReceiver().stringReceived(b('foo'))).toThrow(NotImplementedError);
  });
});
