import { Buffer } from 'node:buffer';
import { beforeEach, describe, expect, it } from 'vitest';
import { NetstringReceiver, NotImplementedError, StringTransport } from '../../../lib/index.js';

const b = (x: string) => Buffer.from(x, 'latin1');
const s = (x: Uint8Array) => Buffer.from(x).toString('latin1');

class TestNetstring extends NetstringReceiver {
  override MAX_LENGTH = 50;
  received: string[] = [];
  override stringReceived(data: Uint8Array) {
    this.received.push(s(data));
    this.transport!.write(data);
  }
}

function connected(): [TestNetstring, StringTransport] {
  const t = new StringTransport();
  const p = new TestNetstring();
  p.makeConnection(t);
  return [p, t];
}

describe('NetstringReceiver', () => {
  let p: TestNetstring;
  let t: StringTransport;
  beforeEach(() => {
    [p, t] = connected();
  });

  it('receives strings in chunks of every size from 1 to 9', () => {
    const strings = ['hello', 'world', 'how', 'are', 'you123', ':today', 'a'.repeat(515)];
    for (let size = 1; size <= 9; size++) {
      const [a, at] = connected();
      a.MAX_LENGTH = 699;
      for (const x of strings) a.sendString(x);
      const out = Buffer.from(at.value());
      for (let i = 0; i < Math.floor(out.length / size) + 1; i++) {
        const chunk = out.subarray(i * size, (i + 1) * size);
        if (chunk.length) a.dataReceived(chunk);
      }
      expect(a.received).toEqual(strings);
    }
  });

  it.each([
    ['0:,', ['']],
    ['1:a,', ['a']],
    ['2:ab,', ['ab']],
    ['4:1:a,,', ['1:a,']],
  ])('receives %s', (wire, expected) => {
    p.dataReceived(b(wire));
    expect(p.received).toEqual(expected);
    expect(t.disconnecting).toBe(false);
  });

  it.each([
    '2:aaa,',
    '0:a,',
    ':aaa,',
    '3aaa,',
    'aaa,',
    'aaa',
    '9999999999999999999999',
    'abc',
    '4:abcde',
    `51:${'a'.repeat(50)}b,`,
  ])('drops the connection on malformed or over-long input %s, even byte by byte', (wire) => {
    const [q, qt] = connected();
    q.dataReceived(b(wire));
    expect(qt.disconnecting).toBe(true);
    expect(q.brokenPeer).toBe(true);
    const [r, rt] = connected();
    for (const c of b(wire)) r.dataReceived(Uint8Array.of(c));
    expect(rt.disconnecting).toBe(true);
  });

  it('receives a netstring split into portions, even inside the length', () => {
    p.dataReceived(b('4:aa'));
    p.dataReceived(b('aa,'));
    for (const part of ['1', '0:01234', '56789', ',']) p.dataReceived(b(part));
    for (const part of ['2', ':', 'a', 'b', ',']) p.dataReceived(b(part));
    expect(p.received).toEqual(['aaaa', '0123456789', 'ab']);
  });

  it('receives two netstrings when the second length arrives with the first', () => {
    p.dataReceived(b('1:a,1'));
    expect(p.received).toEqual(['a']);
    p.dataReceived(b(':b,'));
    expect(p.received).toEqual(['a', 'b']);
  });

  it('accepts a length equal to MAX_LENGTH and refuses MAX_LENGTH + 1', () => {
    p.MAX_LENGTH = 12;
    p.dataReceived(b(`12:${'x'.repeat(12)},`));
    expect(p.received).toEqual(['x'.repeat(12)]);
    p.MAX_LENGTH = 11;
    p.dataReceived(b('12:'));
    expect(t.disconnecting).toBe(true);
  });

  it('ignores data after a parse error', () => {
    p.dataReceived(b('x'));
    p.dataReceived(b('1:a,'));
    expect(p.received).toEqual([]);
  });

  it('sends netstrings, strings as UTF-8', () => {
    p.sendString('é');
    expect(t.value()).toEqual(Buffer.from('2:é,'));
  });

  it('throws NotImplementedError when stringReceived is not overridden', () => {
    expect(() => new NetstringReceiver().stringReceived(b('foo'))).toThrow(NotImplementedError);
  });
});
