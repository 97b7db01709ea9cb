import { collect } from '../helpers.js';
import { describe, expect, it } from 'vitest';
import {
  ByteReader,
  encodeLengthPrefixed,
  encodeNetstring,
  FrameTooLong,
  FramingError,
  Int8StringReceiver,
  Int16StringReceiver,
  LineOnlyReceiver,
  LineReceiver,
  lengthPrefixed,
  lines,
  NetstringReceiver,
  netstrings,
  StringTransport,
  UnexpectedEOF,
} from '../../lib/index.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null): string | null =>
  b === null ? null : Buffer.from(b).toString();

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('ByteReader', () => {
  it('readLine splits on CRLF by default, dropping the delimiter, and returns null at a clean end', async () => {
    const reader = new ByteReader(['ab\r', '\ncd\r\n']);
    expect(dec(await reader.readLine())).toBe('ab');
    expect(dec(await reader.readLine())).toBe('cd');
    expect(await reader.readLine()).toBeNull();
  });

  it('readUntil, readExactly and readSome return Uint8Array frames', async () => {
    const reader = new ByteReader([enc('key=value;12345rest')]);
    const key = await reader.readUntil('=');
    expect(key).toBeInstanceOf(Uint8Array);
    expect(dec(key)).toBe('key');
    expect(dec(await reader.readUntil(enc(';')))).toBe('value');
    expect(dec(await reader.readExactly(5))).toBe('12345');
    expect(dec(await reader.readSome())).toBe('rest');
    expect(await reader.readSome()).toBeNull();
    expect(await reader.readExactly(1)).toBeNull();
  });

  it('a stream ending mid-frame throws UnexpectedEOF carrying the partial bytes', async () => {
    const reader = new ByteReader(['partial']);
    const err = (await rejection(reader.readLine())) as UnexpectedEOF & { partial?: Uint8Array };
    expect(err).toBeInstanceOf(UnexpectedEOF);
    expect(dec(err.partial ?? null)).toBe('partial');
  });

  it('over-limit input throws FrameTooLong (reader default and per-call maxLength)', async () => {
    const reader = new ByteReader(['a'.repeat(10), '\r\n'], { maxLength: 4 });
    expect(await rejection(reader.readLine())).toBeInstanceOf(FrameTooLong);
    const other = new ByteReader(['abcdef\r\n']);
    expect(await rejection(other.readLine({ maxLength: 3 }))).toBeInstanceOf(FrameTooLong);
  });

  it('a custom delimiter may be bytes', async () => {
    const reader = new ByteReader(['a\0b\0'], { delimiter: new Uint8Array([0]) });
    expect(dec(await reader.readLine())).toBe('a');
    expect(dec(await reader.readLine())).toBe('b');
  });

  it('iterating the reader yields the remaining bytes, buffered ones first', async () => {
    const reader = new ByteReader(['HEAD\r\nbody1', 'body2']);
    expect(dec(await reader.readLine())).toBe('HEAD');
    const rest = await collect(reader);
    expect(Buffer.concat(rest).toString()).toBe('body1body2');
  });

  it('detach returns the bytes read but not consumed', async () => {
    const reader = new ByteReader(['STARTTLS\r\n\x16\x03']);
    expect(dec(await reader.readLine())).toBe('STARTTLS');
    expect(Array.from(reader.detach())).toEqual([0x16, 0x03]);
  });
});

describe('frame streams', () => {
  it('lines yields Uint8Array lines, or strings with an encoding', async () => {
    const raw = await collect(lines(['a\r\nb', '\r\n']));
    expect(raw.every((l) => l instanceof Uint8Array)).toBe(true);
    expect(raw.map(dec)).toEqual(['a', 'b']);
    expect(await collect(lines(['x\ny\n'], { delimiter: '\n', encoding: 'utf8' }))).toEqual([
      'x',
      'y',
    ]);
  });

  it('netstrings decode what encodeNetstring encodes; malformed input is a FramingError', async () => {
    const encoded = encodeNetstring('hello');
    expect(encoded).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(encoded).toString()).toBe('5:hello,');
    expect((await collect(netstrings([encoded, encodeNetstring('')]))).map(dec)).toEqual([
      'hello',
      '',
    ]);
    expect(await rejection(collect(netstrings(['5:hello;'])))).toBeInstanceOf(FramingError);
    expect(await rejection(collect(netstrings(['9:abc'], { maxLength: 4 })))).toBeInstanceOf(
      FrameTooLong,
    );
  });

  it('lengthPrefixed is big-endian with 4 prefix bytes by default', async () => {
    expect(Array.from(encodeLengthPrefixed('hi'))).toEqual([0, 0, 0, 2, 104, 105]);
    expect(Array.from(encodeLengthPrefixed('hi', 2))).toEqual([0, 2, 104, 105]);
    expect(Array.from(encodeLengthPrefixed('hi', 1))).toEqual([2, 104, 105]);
    const frames = await collect(
      lengthPrefixed([encodeLengthPrefixed('ab', 2), encodeLengthPrefixed('c', 2)], {
        prefixBytes: 2,
      }),
    );
    expect(frames.map(dec)).toEqual(['ab', 'c']);
  });

  it('a stream ending mid-frame throws UnexpectedEOF', async () => {
    expect(
      await rejection(collect(lengthPrefixed([new Uint8Array([0, 0, 0, 5, 1])]))),
    ).toBeInstanceOf(UnexpectedEOF);
  });
});

describe("classic receivers with Twisted's hooks", () => {
  function connect<P extends { makeConnection(t: StringTransport): void }>(p: P): StringTransport {
    const t = new StringTransport();
    p.makeConnection(t);
    return t;
  }

  it('LineReceiver: lineReceived, sendLine, setRawMode/rawDataReceived', () => {
    const seen: string[] = [];
    class P extends LineReceiver {
      override lineReceived(line: Uint8Array): void {
        seen.push(`line:${dec(line)}`);
        if (dec(line) === 'raw') this.setRawMode();
      }
      override rawDataReceived(data: Uint8Array): void {
        seen.push(`raw:${dec(data)}`);
      }
    }
    const p = new P();
    const t = connect(p);
    p.dataReceived(enc('one\r\nraw\r\nrest'));
    expect(seen).toEqual(['line:one', 'line:raw', 'raw:rest']);
    p.sendLine('out');
    expect(Buffer.from(t.value()).toString()).toBe('out\r\n');
  });

  it('LineOnlyReceiver calls lineLengthExceeded past MAX_LENGTH', () => {
    const exceeded: number[] = [];
    class P extends LineOnlyReceiver {
      override MAX_LENGTH = 4;
      override lineReceived(): void {}
      override lineLengthExceeded(line: Uint8Array): void {
        exceeded.push(line.length);
      }
    }
    const p = new P();
    connect(p);
    p.dataReceived(enc('toolong\r\n'));
    expect(exceeded.length).toBe(1);
  });

  it('NetstringReceiver: stringReceived and sendString', () => {
    const seen: string[] = [];
    class P extends NetstringReceiver {
      override stringReceived(s: Uint8Array): void {
        seen.push(dec(s) as string);
      }
    }
    const p = new P();
    const t = connect(p);
    p.dataReceived(enc('3:abc,'));
    p.sendString('xy');
    expect(seen).toEqual(['abc']);
    expect(Buffer.from(t.value()).toString()).toBe('2:xy,');
  });

  it('Int8/Int16StringReceiver prefix with 1 and 2 big-endian bytes', () => {
    const seen: string[] = [];
    class P16 extends Int16StringReceiver {
      override stringReceived(s: Uint8Array): void {
        seen.push(dec(s) as string);
      }
    }
    const p = new P16();
    const t = connect(p);
    p.dataReceived(new Uint8Array([0, 2, 104, 105]));
    p.sendString('ok');
    expect(seen).toEqual(['hi']);
    expect(Array.from(t.value())).toEqual([0, 2, 111, 107]);

    class P8 extends Int8StringReceiver {
      override stringReceived(): void {}
    }
    const q = new P8();
    const u = connect(q);
    q.sendString('z');
    expect(Array.from(u.value())).toEqual([1, 122]);
  });
});
