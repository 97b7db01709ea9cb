// Integration: the framings over real TCP sockets on 127.0.0.1.
import { Buffer } from 'node:buffer';
import { afterEach, describe, expect, it } from 'vitest';
import { serve, stopServing } from '../../helpers.js';
import {
  ByteReader,
  type Connection,
  connect,
  encodeNetstring,
  Factory,
  LineReceiver,
  lines,
  netstrings,
  type StreamProtocol,
} from '../../../lib/index.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

afterEach(stopServing);

async function serveDesc(handler: Parameters<typeof serve>[0]): Promise<string> {
  return (await serve(handler)).desc;
}

async function dial(desc: string): Promise<Connection> {
  const conn = await connect(desc);
  cleanups.push(() => conn.abort());
  return conn;
}

describe('framing over TCP', () => {
  it('a lines() server answers 16 pipelined requests in order', async () => {
    const server: StreamProtocol = async function* (conn) {
      for await (const line of lines(conn, { encoding: 'utf8' })) yield `pong ${line}\r\n`;
    };
    const conn = await dial(await serveDesc(server));
    const requests = Array.from({ length: 16 }, (_, i) => `ping ${i}\r\n`).join('');
    await conn.write(requests);
    const replies: string[] = [];
    for await (const line of lines(conn, { encoding: 'utf8' })) {
      replies.push(line);
      if (replies.length === 16) break;
    }
    expect(replies).toEqual(Array.from({ length: 16 }, (_, i) => `pong ping ${i}`));
  });

  it('a ByteReader switches from a header line to a counted body', async () => {
    const server: StreamProtocol = async function* (conn) {
      const reader = new ByteReader(conn);
      const header = Buffer.from((await reader.readLine())!).toString();
      const body = await reader.readExactly(Number(header.split(' ')[1]));
      yield encodeNetstring(body!);
    };
    const conn = await dial(await serveDesc(server));
    await conn.write('LEN 11\r\nhello');
    await conn.write(' world');
    const [reply] = await (async () => {
      const out: Uint8Array[] = [];
      for await (const s of netstrings(conn)) out.push(s);
      return out;
    })();
    expect(Buffer.from(reply!).toString()).toBe('hello world');
  });

  it('an over-long line closes only the classic connection that sent it', async () => {
    class Echo extends LineReceiver {
      override MAX_LENGTH = 32;
      override lineReceived(line: Uint8Array) {
        this.sendLine(line);
      }
    }
    const desc = await serveDesc(Factory.forProtocol(Echo));
    const good = await dial(desc);
    const bad = await dial(desc);
    await bad.write(`${'x'.repeat(100)}\r\n`);
    const leftovers: Uint8Array[] = [];
    for await (const chunk of bad) leftovers.push(chunk);
    expect(leftovers).toEqual([]);
    await good.write('still here\r\n');
    const reader = new ByteReader(good);
    expect(Buffer.from((await reader.readLine())!).toString()).toBe('still here');
  });
});
