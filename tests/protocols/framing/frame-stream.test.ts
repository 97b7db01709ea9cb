// The frame streams (lines, netstrings, lengthPrefixed) behave as async
// generators: calls are served in order, return()/throw() close the source.
// Over a StreamConnection they take chunks as they arrive (no promise per read).
import { describe, expect, it } from 'vitest';
import {
  ConnectionLost,
  connectionPair,
  Failure,
  FrameTooLong,
  lines,
  netstrings,
  StreamConnection,
  StringTransport,
  UnexpectedEOF,
} from '../../../lib/index.js';
import { turns } from '../connection-conformance.js';
import { b, collect, source, strs } from './helpers.js';

const text = (r: IteratorResult<Uint8Array, void>) =>
  r.done ? 'done' : Buffer.from(r.value).toString('latin1');

/** A StreamConnection on a StringTransport, fed by calling dataReceived. */
function fed(): StreamConnection {
  const conn = new StreamConnection();
  conn.makeConnection(new StringTransport());
  return conn;
}

describe('frame streams', () => {
  it('serve next() calls made before earlier ones settle, in call order', async () => {
    const conn = fed();
    const it = lines(conn);
    const pending = [it.next(), it.next(), it.next()];
    conn.dataReceived(b('one\r\ntw'));
    conn.dataReceived(b('o\r\nthree\r\n'));
    expect((await Promise.all(pending)).map(text)).toEqual(['one', 'two', 'three']);
  });

  it('run a return() made while a next() waits after it, then close the source', async () => {
    const { iterable, state } = source(['a\r\n', 'b\r\n']);
    const it = lines(iterable);
    const first = it.next();
    const ret = it.return();
    expect(text(await first)).toBe('a');
    expect(await ret).toEqual({ value: undefined, done: true });
    expect(state.returned).toBe(true);
    expect(text(await it.next())).toBe('done');
  });

  it('end on throw(): it rejects with the error given and closes the source', async () => {
    const { iterable, state } = source(['a\r\n', 'b\r\n']);
    const it = lines(iterable);
    expect(text(await it.next())).toBe('a');
    const error = new Error('stop');
    await expect(it.throw(error)).rejects.toBe(error);
    expect(state.returned).toBe(true);
    expect(text(await it.next())).toBe('done');
  });

  it('are their own async iterator, like generators', () => {
    const it = netstrings([]);
    expect(it[Symbol.asyncIterator]()).toBe(it);
  });

  it('read lines from a StreamConnection across chunk boundaries, then end on its clean close', async () => {
    const conn = fed();
    const got: string[] = [];
    const done = (async () => {
      for await (const line of lines(conn)) got.push(Buffer.from(line).toString());
    })();
    for (const piece of ['al', 'pha\r', '\nbeta\r\ngam', 'ma\r\n']) {
      conn.dataReceived(b(piece));
      await turns(1);
    }
    conn.readConnectionLost();
    await done;
    expect(got).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('take a line from a chunk the moment it arrives when a reader waits', async () => {
    const conn = fed();
    const it = lines(conn);
    let settled = false;
    const next = it.next().then((r) => {
      settled = true;
      return r;
    });
    await turns(1);
    conn.dataReceived(b('now\r\n'));
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true);
    expect(text(await next)).toBe('now');
  });

  it('reject a waiting next() with ConnectionLost when the connection is lost uncleanly', async () => {
    const conn = fed();
    const it = lines(conn);
    const next = it.next();
    conn.dataReceived(b('partial'));
    conn.connectionLost(new Failure(new ConnectionLost()));
    await expect(next).rejects.toBeInstanceOf(ConnectionLost);
    expect(text(await it.next())).toBe('done');
  });

  it('reject with UnexpectedEOF when a connection closes cleanly inside a line', async () => {
    const conn = fed();
    const it = lines(conn);
    const next = it.next();
    conn.dataReceived(b('unterminated'));
    conn.readConnectionLost();
    const error = await next.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnexpectedEOF);
    expect(Buffer.from((error as UnexpectedEOF).partial).toString()).toBe('unterminated');
  });

  it('reject a waiting next() with FrameTooLong once an arriving chunk overflows maxLength', async () => {
    const conn = fed();
    const it = lines(conn, { maxLength: 4 });
    const next = it.next();
    conn.dataReceived(b('much too long'));
    await expect(next).rejects.toBeInstanceOf(FrameTooLong);
    expect(text(await it.next())).toBe('done');
  });

  it('give the same lines over a connection pair whatever the writes', async () => {
    const [client, server] = connectionPair();
    const reading = (async () => {
      const got: Uint8Array[] = [];
      for await (const line of lines(server)) got.push(line);
      return got;
    })();
    for (const piece of ['x\r\ny', '\r', '\n', 'z\r\n']) await client.write(piece);
    await client.end();
    expect(strs(await reading)).toEqual(['x', 'y', 'z']);
  });

  it('find a two-byte delimiter after stray first bytes, and a one-byte one, in any chunk', async () => {
    const crlf = await collect(lines(['a\r\r\nb\r', '\r', '\r\n\r\rc\r\n']));
    expect(strs(crlf)).toEqual(['a\r', 'b\r\r', '\r\rc']);
    const lf = await collect(lines(['x\ny', '\n\n'], { delimiter: '\n' }));
    expect(strs(lf)).toEqual(['x', 'y', '']);
  });
});
