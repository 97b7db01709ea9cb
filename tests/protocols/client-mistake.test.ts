import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type IListeningPort, lines, listen, type StreamProtocol } from '../../lib/index.js';
import { logEventsOfEachTest } from '../helpers.js';

const events = logEventsOfEachTest();
const ports: IListeningPort[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const p of ports.splice(0)) await p.stopListening();
});

const shout: StreamProtocol = async function* (conn) {
  for await (const line of lines(conn, { encoding: 'utf8', maxLength: 16 })) {
    yield `${line.toUpperCase()}\r\n`;
  }
};

/** `shout` answering each chunk's lines at once (`batch: true`), one yield per chunk. */
const shoutBatch: StreamProtocol = async function* (conn) {
  for await (const batch of lines(conn, { encoding: 'utf8', maxLength: 16, batch: true })) {
    yield batch.map((line) => `${line.toUpperCase()}\r\n`).join('');
  }
};

/** A server running `handler` and a raw client; `received` resolves with all the client got, at close. */
async function session(
  handler: StreamProtocol = shout,
): Promise<{ client: net.Socket; peer: string; received: Promise<string> }> {
  const port = await listen('tcp:0:interface=127.0.0.1', handler);
  ports.push(port);
  const { port: number } = port.getHost() as { port: number };
  const client = net.connect({ host: '127.0.0.1', port: number, allowHalfOpen: true });
  sockets.push(client);
  await new Promise((resolve) => client.once('connect', resolve));
  const received = new Promise<string>((resolve) => {
    let text = '';
    client.setEncoding('utf8').on('data', (c: string) => (text += c));
    client.on('end', () => resolve(text)); // the server's close
    client.on('close', () => resolve(text));
    client.on('error', () => {});
  });
  return { client, peer: `127.0.0.1:${client.localPort}`, received };
}

/** The one log event about the bad input: at info, with the peer, no failure attached. */
function expectOneClientMistake(peer: string, error: string): void {
  const about = events.filter((e) => e.log_namespace.startsWith('woven.protocols'));
  expect(about).toHaveLength(1);
  const event = about[0]!;
  expect(event.log_level).toBe('info');
  expect(event.error).toBe(error);
  expect(event.peer).toBe(peer);
  expect(event.log_failure).toBeUndefined();
}

describe('a stream protocol closing on a framing error', () => {
  it('delivers what it yielded before an over-long line sent in the same segment', async () => {
    const { client, peer, received } = await session();
    client.write(`hello\r\n${'x'.repeat(100)}`);
    expect(await received).toBe('HELLO\r\n');
    expectOneClientMistake(peer, 'FrameTooLong');
  });

  it('delivers what it yielded before an over-long line sent in a later segment', async () => {
    const { client, peer, received } = await session();
    client.write('hello\r\n');
    await new Promise((resolve) => client.once('data', resolve));
    client.write('x'.repeat(100));
    expect(await received).toBe('HELLO\r\n');
    expectOneClientMistake(peer, 'FrameTooLong');
  });

  it('logs a client that disconnects mid-line once, at info, and keeps the replies', async () => {
    const { client, peer, received } = await session();
    client.end('hello\r\nwor');
    expect(await received).toBe('HELLO\r\n');
    expectOneClientMistake(peer, 'UnexpectedEOF');
  });

  const fifty = Array.from({ length: 50 }, (_, i) => `line ${i}\r\n`).join('');
  const fiftyShouted = fifty.toUpperCase();

  it.each([
    ['one frame per step', shout],
    ['batch: true', shoutBatch],
  ])(
    'delivers 50 replies yielded before an over-long line in the same segment (%s)',
    async (_, handler) => {
      const { client, peer, received } = await session(handler);
      client.write(`${fifty}${'x'.repeat(100)}`);
      expect(await received).toBe(fiftyShouted);
      expectOneClientMistake(peer, 'FrameTooLong');
    },
  );

  it.each([
    ['one frame per step', shout],
    ['batch: true', shoutBatch],
  ])(
    'delivers the replies when the over-long line is split across segments (%s)',
    async (_, handler) => {
      const { client, peer, received } = await session(handler);
      client.write(`${fifty}xxxxxxxx`);
      await new Promise((resolve) => client.once('data', resolve));
      client.write('x'.repeat(100));
      expect(await received).toBe(fiftyShouted);
      expectOneClientMistake(peer, 'FrameTooLong');
    },
  );
});
