// How a StreamConnection turns what a generator yields into transport writes.
import { describe, expect, it } from 'vitest';
import { type Data, StreamConnection, StringTransport } from '../../lib/index.js';
import { turns } from './connection-conformance.js';

/** A StringTransport that records the pieces of each writeSequence call. */
class Recording extends StringTransport {
  sequences: number[] = [];
  override writeSequence(data: Iterable<Data>): void {
    const pieces = [...data];
    this.sequences.push(pieces.length);
    super.writeSequence(pieces);
  }
}

function running(handler: ConstructorParameters<typeof StreamConnection>[0]) {
  const transport = new Recording();
  const conn = new StreamConnection(handler);
  conn.makeConnection(transport);
  return { conn, transport };
}

describe('StreamConnection batching', () => {
  it('sends small values yielded for one chunk as one piece, in order', async () => {
    const { conn, transport } = running(async function* (c) {
      for await (const chunk of c) for (const byte of chunk) yield `<${String.fromCharCode(byte)}>`;
    });
    conn.dataReceived(Buffer.from('abc'));
    await turns(2);
    expect(transport.sequences).toEqual([1]);
    expect(transport.value().toString()).toBe('<a><b><c>');
  });

  it('sends a batch of large values as separate pieces (no copy)', async () => {
    const big = Buffer.alloc(20000, 1);
    const { conn, transport } = running(async function* (c) {
      for await (const _ of c) {
        yield big;
        yield big;
      }
    });
    conn.dataReceived(Buffer.from('go'));
    await turns(2);
    expect(transport.sequences).toEqual([2]);
    expect(transport.value().length).toBe(40000);
  });

  it('mixes strings and bytes in one batch as their UTF-8 bytes', async () => {
    const { conn, transport } = running(async function* (c) {
      for await (const _ of c) {
        yield 'é';
        yield Buffer.from([0x21]);
      }
    });
    conn.dataReceived(Buffer.from('go'));
    await turns(2);
    expect(transport.value()).toEqual(Buffer.from('é!'));
  });

  it('flushes the batch of every connection waiting on something other than input', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const handler = async function* () {
      yield 'a';
      yield 'b';
      await gate;
    };
    const pairs = [running(handler), running(handler), running(handler)];
    await turns(2);
    for (const { transport } of pairs) expect(transport.value().toString()).toBe('ab');
    release();
  });
});
