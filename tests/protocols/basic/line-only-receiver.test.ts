import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { LineOnlyReceiver, NotImplementedError, StringTransport } from '../../../lib/index.js';

const s = (x: Uint8Array) => Buffer.from(x).toString('latin1');

class LineOnlyTester extends LineOnlyReceiver {
  override delimiter = '\n';
  override MAX_LENGTH = 64;
  received: string[] = [];
  override lineReceived(line: Uint8Array) {
    this.received.push(s(line));
  }
}

describe('LineOnlyReceiver', () => {
  it('delivers the same lines when fed one byte at a time', () => {
    const buffer = 'foo\n    bleakness\n    desolation\n    plastic forks\n    ';
    const t = new StringTransport();
    const a = new LineOnlyTester();
    a.makeConnection(t);
    for (const c of Buffer.from(buffer)) a.dataReceived(Uint8Array.of(c));
    expect(a.received).toEqual(buffer.split('\n').slice(0, -1));
  });

  it('closes the connection on a line longer than MAX_LENGTH', () => {
    const p = new LineOnlyTester();
    const t = new StringTransport();
    p.makeConnection(t);
    p.dataReceived(Buffer.from(`${'x'.repeat(64 + 1 + 1)}\r\nr`));
    expect(t.disconnecting).toBe(true);
    expect(p.received).toEqual([]);
  });

  it('closes the connection when the unterminated buffer exceeds MAX_LENGTH', () => {
    const p = new LineOnlyTester();
    const t = new StringTransport();
    p.makeConnection(t);
    p.dataReceived(Buffer.from('x'.repeat(64)));
    expect(t.disconnecting).toBe(false);
    p.dataReceived(Buffer.from('x'));
    expect(t.disconnecting).toBe(true);
  });

  it('ignores the lines after one that closed the connection', () => {
    class Quitter extends LineOnlyTester {
      override lineReceived(line: Uint8Array) {
        super.lineReceived(line);
        if (s(line) === 'quit') this.transport!.loseConnection();
      }
    }
    const p = new Quitter();
    p.makeConnection(new StringTransport());
    p.dataReceived(Buffer.from('a\nquit\nb\n'));
    expect(p.received).toEqual(['a', 'quit']);
  });

  it('sends lines with the delimiter and throws NotImplementedError when lineReceived is missing', () => {
    const p = new LineOnlyReceiver();
    const t = new StringTransport();
    p.makeConnection(t);
    p.sendLine('hi');
    expect(t.value().toString()).toBe('hi\r\n');
    expect(() => p.lineReceived(Buffer.from('foo'))).toThrow(NotImplementedError);
  });
});

describe('LineOnlyReceiver.lineLengthExceeded', () => {
  it('is called once for a line past MAX_LENGTH when overridden', () => {
    const exceeded: number[] = [];
    class P extends LineOnlyReceiver {
      override MAX_LENGTH = 4;
      override lineReceived(): void {}
      override lineLengthExceeded(line: Uint8Array): void {
        exceeded.push(line.length);
      }
    }
    const p = new P();
    p.makeConnection(new StringTransport());
    p.dataReceived(Buffer.from('toolong\r\n'));
    expect(exceeded.length).toBe(1);
  });
});
