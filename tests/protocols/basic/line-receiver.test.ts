import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Clock,
  LineReceiver,
  NotImplementedError,
  StringTransport,
  StringTransportWithDisconnection,
} from '../../../lib/index.js';
import { cutAt } from '../framing/helpers.js';

const b = (s: string) => Buffer.from(s, 'latin1');
const s = (x: Uint8Array) => Buffer.from(x).toString('latin1');

/** Feed `data` to `proto` in packets of `size` bytes, as test_basic does. */
function feed(proto: { dataReceived(d: Uint8Array): unknown }, data: Uint8Array, size: number) {
  for (let i = 0; i < Math.floor(data.length / size) + 1; i++) {
    proto.dataReceived(data.subarray(i * size, (i + 1) * size));
  }
}

/** Twisted's LineTester: acts on some tokens (pause, rawpause, stop, len, produce, unproduce). */
class LineTester extends LineReceiver {
  override delimiter = '\n';
  override MAX_LENGTH = 64;
  received: Buffer[] = [];
  length = 0;
  constructor(readonly clock: Clock | null = null) {
    super();
  }
  override connectionMade() {
    this.received = [];
  }
  override lineReceived(line: Uint8Array) {
    const l = s(line);
    this.received.push(Buffer.from(line));
    if (l === '') this.setRawMode();
    else if (l === 'pause') {
      this.pauseProducing();
      this.clock!.callLater(0, () => this.resumeProducing());
    } else if (l === 'rawpause') {
      this.pauseProducing();
      this.setRawMode();
      this.received.push(Buffer.alloc(0));
      this.clock!.callLater(0, () => this.resumeProducing());
    } else if (l === 'stop') this.stopProducing();
    else if (l.startsWith('len ')) this.length = Number(l.slice(4));
    else if (l.startsWith('produce')) this.transport!.registerProducer(this, false);
    else if (l.startsWith('unproduce')) this.transport!.unregisterProducer();
  }
  override rawDataReceived(data: Uint8Array) {
    const used = data.subarray(0, this.length);
    const rest = data.subarray(this.length);
    this.length -= used.length;
    const last = this.received.length - 1;
    this.received[last] = Buffer.concat([this.received[last]!, used]);
    if (this.length === 0) this.setLineMode(rest);
  }
  override lineLengthExceeded(line: Uint8Array) {
    if (line.length > this.MAX_LENGTH + 1) this.setLineMode(line.subarray(this.MAX_LENGTH + 1));
  }
}

function connected<P extends LineReceiver>(proto: P): [P, StringTransport] {
  const t = new StringTransport();
  proto.makeConnection(t);
  return [proto, t];
}

describe('LineReceiver', () => {
  it('splits lines and raw data alike for every packet size from 1 to 9', () => {
    const buffer = b(
      'len 10\n\n0123456789len 5\n\n1234\nlen 20\nfoo 123\n\n0123456789\n012345678len 0\nfoo 5\n\n' +
        '1234567890123456789012345678901234567890123456789012345678901234567890\nlen 1\n\na',
    );
    const output = [
      'len 10',
      '0123456789',
      'len 5',
      '1234\n',
      'len 20',
      'foo 123',
      '0123456789\n012345678',
      'len 0',
      'foo 5',
      '',
      '67890',
      'len 1',
      'a',
    ];
    for (let size = 1; size <= 9; size++) {
      const [a] = connected(new LineTester());
      feed(a, buffer, size);
      expect(a.received.map(s)).toEqual(output);
    }
  });

  it('stops delivering while paused and resumes when resumed', () => {
    const buf = b('twiddle1\ntwiddle2\npause\ntwiddle3\n');
    for (let size = 1; size <= 9; size++) {
      const clock = new Clock();
      const [a] = connected(new LineTester(clock));
      feed(a, buf, size);
      expect(a.received.map(s)).toEqual(['twiddle1', 'twiddle2', 'pause']);
      clock.advance(0);
      expect(a.received.map(s)).toEqual(['twiddle1', 'twiddle2', 'pause', 'twiddle3']);
    }
  });

  it('pauses inside raw mode too', () => {
    const buf = b('twiddle1\ntwiddle2\nlen 5\nrawpause\n12345twiddle3\n');
    for (let size = 1; size <= 9; size++) {
      const clock = new Clock();
      const [a] = connected(new LineTester(clock));
      feed(a, buf, size);
      expect(a.received.map(s)).toEqual(['twiddle1', 'twiddle2', 'len 5', 'rawpause', '']);
      clock.advance(0);
      expect(a.received.map(s)).toEqual([
        'twiddle1',
        'twiddle2',
        'len 5',
        'rawpause',
        '12345',
        'twiddle3',
      ]);
    }
  });

  it('delivers nothing after stopProducing', () => {
    const buf = b('twiddle1\ntwiddle2\nstop\nmore\nstuff\n');
    for (let size = 1; size <= 9; size++) {
      const [a, t] = connected(new LineTester());
      feed(a, buf, size);
      expect(a.received.map(s)).toEqual(['twiddle1', 'twiddle2', 'stop']);
      expect(t.producerState).toBe('stopped');
    }
  });

  it('can register itself as its transport’s producer', () => {
    const [a, t] = connected(new LineTester());
    a.dataReceived(b('produce\nhello world\n'));
    expect(t.producer).toBe(a);
    expect(t.streaming).toBe(false);
    a.dataReceived(b('unproduce\ngoodbye\n'));
    expect(t.producer).toBeNull();
    expect(a.received.map(s)).toEqual(['produce', 'hello world', 'unproduce', 'goodbye']);
  });

  it('clearLineBuffer returns and drops the buffered data, even from lineReceived', () => {
    class Clearing extends LineReceiver {
      line = '';
      rest = '';
      override lineReceived(line: Uint8Array) {
        this.line = s(line);
        this.rest = s(this.clearLineBuffer());
      }
    }
    const p = new Clearing();
    p.dataReceived(b('foo\r\nbar\r\nbaz'));
    expect([p.line, p.rest]).toEqual(['foo', 'bar\r\nbaz']);
    p.dataReceived(b('quux\r\n'));
    expect([p.line, p.rest]).toEqual(['quux', '']);
  });

  it('switches modes many times on one chunk without growing the stack', () => {
    class Flipping extends LineReceiver {
      override delimiter = '\n';
      lines: string[] = [];
      override lineReceived(line: Uint8Array) {
        this.lines.push(s(line));
        this.setRawMode();
      }
      override rawDataReceived(data: Uint8Array) {
        this.setLineMode(data.subarray(1));
      }
    }
    const p = new Flipping();
    connected(p);
    p.dataReceived(b('x\nx'.repeat(20000)));
    expect(p.lines.join('')).toBe('x'.repeat(20000));
  });

  it('closes the connection on a line longer than MAX_LENGTH', () => {
    const [p, t] = connected(new LineReceiver());
    p.dataReceived(b(`${'x'.repeat(p.MAX_LENGTH + 1)}\r\nr`));
    expect(t.disconnecting).toBe(true);
    const [p2, t2] = connected(new LineReceiver());
    p2.dataReceived(b('x'.repeat(p2.MAX_LENGTH + 2)));
    expect(t2.disconnecting).toBe(true);
  });

  it('keeps the connection for a line of MAX_LENGTH whose delimiter arrives in pieces', () => {
    const [p, t] = connected(new LineTester());
    p.MAX_LENGTH = 4;
    p.dataReceived(b('xxx'));
    p.dataReceived(b(''));
    p.dataReceived(b('\nxxx'));
    expect(t.disconnecting).toBe(false);
    expect(p.received.map(s)).toEqual(['xxx']);
    const [q, t2] = connected(new LineReceiver());
    q.dataReceived(b(`${'x'.repeat(q.MAX_LENGTH)}\r`));
    expect(t2.disconnecting).toBe(false);
  });

  it('closes only the connection that sent the over-long line', () => {
    class Counting extends LineReceiver {
      count = 0;
      override lineReceived() {
        this.count++;
      }
    }
    const [good, goodT] = connected(new Counting());
    const [bad, badT] = connected(new Counting());
    bad.MAX_LENGTH = good.MAX_LENGTH = 8;
    bad.dataReceived(b('ok\r\nthis line is too long\r\nmore\r\n'));
    good.dataReceived(b('ok\r\nfine\r\n'));
    expect(badT.disconnecting).toBe(true);
    expect(goodT.disconnecting).toBe(false);
    expect(bad.count).toBe(1);
    expect(good.count).toBe(2);
  });

  it('stops delivering lines once the transport is disconnecting', () => {
    class Quitter extends LineReceiver {
      lines: string[] = [];
      override lineReceived(line: Uint8Array) {
        this.lines.push(s(line));
        if (s(line) === 'QUIT') this.transport!.loseConnection();
      }
    }
    const [p] = connected(new Quitter());
    p.dataReceived(b('a\r\nQUIT\r\nb\r\n'));
    expect(p.lines).toEqual(['a', 'QUIT']);
  });

  it('works with StringTransportWithDisconnection', () => {
    const t = new StringTransportWithDisconnection();
    const p = new LineReceiver();
    t.protocol = p;
    p.makeConnection(t);
    p.dataReceived(b('x'.repeat(p.MAX_LENGTH + 2)));
    expect(t.connected).toBe(false);
  });

  it('returns what rawDataReceived returns', () => {
    const [p] = connected(new LineReceiver());
    const oops = new Error('oops');
    p.rawDataReceived = () => oops;
    p.setRawMode();
    expect(p.lineMode).toBe(false);
    expect(p.dataReceived(b('data'))).toBe(oops);
  });

  it('throws NotImplementedError from the hooks not overridden', () => {
    const p = new LineReceiver();
    expect(() => p.rawDataReceived(b('foo'))).toThrow(NotImplementedError);
    expect(() => p.lineReceived(b('foo'))).toThrow(NotImplementedError);
  });

  it('sends a line and its delimiter in one write, strings as UTF-8', () => {
    const [p, t] = connected(new LineReceiver());
    let writes = 0;
    const write = t.write.bind(t);
    t.write = (d) => {
      writes++;
      write(d);
    };
    p.sendLine('héllo');
    p.sendLine(b('x'));
    expect(t.value().toString()).toBe('héllo\r\nx\r\n');
    expect(writes).toBe(2);
  });

  it('encodes a string line and a string delimiter each on its own (no surrogate pair across them)', () => {
    const p = new LineReceiver();
    p.delimiter = '\udc00\n'; // a lone low surrogate: U+FFFD in UTF-8, as is the line's lone high one
    const [, t] = connected(p);
    p.sendLine('a\ud800');
    expect(t.value()).toEqual(Buffer.concat([Buffer.from('a\ud800'), Buffer.from('\udc00\n')]));
  });
});

describe('LineReceiver.encoding', () => {
  class Texts extends LineReceiver {
    override encoding = 'utf8' as const;
    override MAX_LENGTH = 8;
    lines: unknown[] = [];
    override lineReceived(line: string) {
      this.lines.push(line);
    }
  }

  it('delivers strings decoded from the bytes, characters split across packets included', () => {
    const data = Buffer.from('héllo\r\nwörld €\r\n\r\nrest');
    for (let size = 1; size <= 9; size++) {
      const [p] = connected(new Texts());
      p.MAX_LENGTH = 64;
      feed(p, data, size);
      expect(p.lines).toEqual(['héllo', 'wörld €', '']);
      expect(p.clearLineBuffer().toString()).toBe('rest');
    }
  });

  it('counts MAX_LENGTH in bytes, not characters', () => {
    const [p, t] = connected(new Texts());
    p.dataReceived(Buffer.from('éééé\r\n')); // 8 bytes: accepted
    expect(p.lines).toEqual(['éééé']);
    p.dataReceived(Buffer.from('ééééé\r\n')); // 10 bytes: too long
    expect(p.lines).toEqual(['éééé']);
    expect(t.disconnecting).toBe(true);
  });

  it('still gives raw mode bytes', () => {
    class Mixed extends Texts {
      raw: Buffer[] = [];
      override lineReceived(line: string) {
        super.lineReceived(line);
        this.setRawMode();
      }
      override rawDataReceived(data: Uint8Array) {
        this.raw.push(Buffer.from(data));
      }
    }
    const [p] = connected(new Mixed());
    p.dataReceived(Buffer.from('go\r\nbytes'));
    expect(p.lines).toEqual(['go']);
    expect(Buffer.concat(p.raw).toString()).toBe('bytes');
  });
});

describe('LineReceiver.encoding against byte lines', () => {
  /**
   * A scripted receiver: `raw N` reads N raw bytes then returns to line
   * mode, `clear` drops the buffer, `lf`/`crlf` change the delimiter, `max
   * N` sets MAX_LENGTH. It records what it gets, lines decoded with `enc`.
   */
  class Scripted extends LineReceiver {
    events: string[] = [];
    rawLeft = 0;
    constructor(
      readonly enc: BufferEncoding,
      asText: boolean,
    ) {
      super();
      this.encoding = asText ? enc : undefined;
      this.MAX_LENGTH = 24;
    }
    override lineReceived(line: Uint8Array | string) {
      const text = typeof line === 'string' ? line : Buffer.from(line).toString(this.enc);
      this.events.push(`line ${text}`);
      const [word, arg] = text.split(' ');
      if (word === 'raw') {
        this.rawLeft = Number(arg) || 0;
        this.setRawMode();
      } else if (word === 'clear')
        this.events.push(`cleared ${this.clearLineBuffer().toString('hex')}`);
      else if (word === 'lf') this.delimiter = '\n';
      else if (word === 'crlf') this.delimiter = '\r\n';
      else if (word === 'max') this.MAX_LENGTH = Number(arg) || 0;
    }
    override rawDataReceived(data: Uint8Array) {
      const used = data.subarray(0, this.rawLeft);
      this.rawLeft -= used.length;
      this.events.push(`raw ${Buffer.from(used).toString('hex')}`);
      if (this.rawLeft === 0) this.setLineMode(data.subarray(used.length));
    }
    override lineLengthExceeded(line: Uint8Array) {
      this.events.push(`too long ${Buffer.from(line).toString('hex')}`);
      return undefined;
    }
  }

  it('delivers what byte lines decoded one by one deliver, whatever the hooks do (property)', () => {
    const word = fc.constantFrom(
      'raw 3',
      'raw 0',
      'clear',
      'lf',
      'crlf',
      'max 6',
      'max 24',
      'héllo',
      'abc',
      '€€€€€',
      '\uFFFD',
    );
    const body = fc.oneof(
      { arbitrary: word.map((w) => Buffer.from(w)), weight: 4 },
      { arbitrary: fc.uint8Array({ maxLength: 6 }).map((u) => Buffer.from(u)), weight: 1 },
    );
    const end = fc.constantFrom('\r\n', '\n', '', ' ').map((d) => Buffer.from(d));
    const piece = fc.tuple(body, end).map((parts) => Buffer.concat(parts));
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 16 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.constantFrom<BufferEncoding>('utf8', 'latin1'),
        (pieces, cuts, enc) => {
          const data = Buffer.concat(pieces);
          const run = (asText: boolean) => {
            const [p] = connected(new Scripted(enc, asText));
            for (const chunk of cutAt(data, cuts)) p.dataReceived(chunk);
            return [...p.events, `left ${p.clearLineBuffer().toString('hex')}`];
          };
          expect(run(true)).toEqual(run(false));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps the queue in step when a hook changes the delimiter between the lines of one chunk', () => {
    const run = (asText: boolean) => {
      const [p] = connected(new Scripted('latin1', asText));
      p.dataReceived(Buffer.from('lf\r\nab\ncd\r\ncrlf\nef\r\ngh\n'));
      return [...p.events, `left ${p.clearLineBuffer().toString()}`];
    };
    expect(run(true)).toEqual([
      'line lf',
      'line ab',
      'line cd\r',
      'line crlf',
      'line ef',
      'left gh\n',
    ]);
    expect(run(false)).toEqual(run(true));
  });
});

describe('LineReceiver.lineLengthExceeded', () => {
  class Catcher extends LineReceiver {
    override MAX_LENGTH = 6;
    longLines: string[] = [];
    override lineReceived() {}
    override lineLengthExceeded(data: Uint8Array) {
      this.longLines.push(s(data));
    }
  }
  const excessive = 'x'.repeat(6 * 2 + 2);

  it('gets a long unended line whole', () => {
    const [p] = connected(new Catcher());
    p.dataReceived(b(excessive));
    expect(p.longLines).toEqual([excessive]);
  });

  it('gets everything after a short line', () => {
    const [p] = connected(new Catcher());
    p.dataReceived(b(`x\r\n${excessive}`));
    expect(p.longLines).toEqual([excessive]);
  });

  it('gets the whole buffer when the delimiter comes past MAX_LENGTH', () => {
    const [p] = connected(new Catcher());
    const one = [excessive, excessive].join('\r\n');
    p.dataReceived(b(one));
    const [q] = connected(new Catcher());
    const many = `${excessive}\r\n`.repeat(2);
    q.dataReceived(b(many));
    expect(p.longLines).toEqual([one]);
    expect(q.longLines).toEqual([many]);
  });
});

describe('LineReceiver as a producer', () => {
  /** Twisted's OnlyProducerTransport: records writes and pause state. */
  class OnlyProducerTransport extends StringTransport {
    paused = false;
    data: string[] = [];
    override pauseProducing() {
      this.paused = true;
    }
    override resumeProducing() {
      this.paused = false;
    }
    override write(d: Uint8Array | string) {
      this.data.push(typeof d === 'string' ? d : s(d));
    }
  }
  class Consuming extends LineReceiver {
    override lineReceived(line: Uint8Array) {
      this.transport!.write(line);
      this.pauseProducing();
    }
  }

  it('holds lines while paused and delivers them one per resume', () => {
    const p = new Consuming();
    const t = new OnlyProducerTransport();
    p.makeConnection(t);
    p.dataReceived(b('hello, '));
    expect([t.data, t.paused, p.paused]).toEqual([[], false, false]);
    p.dataReceived(b('world\r\n'));
    expect([t.data, t.paused, p.paused]).toEqual([['hello, world'], true, true]);
    p.resumeProducing();
    expect([t.data, t.paused, p.paused]).toEqual([['hello, world'], false, false]);
    p.dataReceived(b('hello\r\nworld\r\n'));
    expect([t.data, t.paused, p.paused]).toEqual([['hello, world', 'hello'], true, true]);
    p.resumeProducing();
    expect(t.data).toEqual(['hello, world', 'hello', 'world']);
    expect([t.paused, p.paused]).toEqual([true, true]);
    p.dataReceived(b('goodbye\r\n'));
    expect(t.data).toEqual(['hello, world', 'hello', 'world']);
    p.resumeProducing();
    expect(t.data).toEqual(['hello, world', 'hello', 'world', 'goodbye']);
    expect([t.paused, p.paused]).toEqual([true, true]);
    p.resumeProducing();
    expect(t.data).toEqual(['hello, world', 'hello', 'world', 'goodbye']);
    expect([t.paused, p.paused]).toEqual([false, false]);
  });
});
