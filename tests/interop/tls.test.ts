// TLS both ways with Twisted: woven TLS clients verify a Twisted server's
// certificate, and a Twisted TLS client verifies woven TLS servers.
import { afterEach, describe, expect, it } from 'vitest';
import {
  connect,
  type InetAddress,
  LineReceiver,
  type ListeningPort,
  lines,
  listen,
  type StreamProtocol,
  TLSError,
} from '../../lib/index.js';
import { CERT, hasTwisted, KEY, Peers } from './peers.js';

const peers = new Peers();
const ports: ListeningPort[] = [];
afterEach(async () => {
  await peers.killAll();
  for (const p of ports.splice(0)) await p.stopListening();
});

const LINES = ['hello', 'café', 'x'.repeat(3000)];

class ClassicLineEcho extends LineReceiver {
  override lineReceived(line: Uint8Array) {
    this.sendLine(line);
  }
}
const streamLineEcho: StreamProtocol = async function* (conn) {
  for await (const line of lines(conn, { encoding: 'utf8' })) yield `${line}\r\n`;
};

/** Serve `handler` over TLS with the test certificate on 127.0.0.1. */
async function wovenTLSServer(handler: typeof ClassicLineEcho | StreamProtocol): Promise<number> {
  const port = await listen(`ssl:0:interface=127.0.0.1:privateKey=${KEY}:certKey=${CERT}`, handler);
  ports.push(port as ListeningPort);
  return (port.getHost() as InetAddress).port;
}

/** Run the Twisted TLS client against 127.0.0.1:`port`, expecting `hostname`; its JSON verdict. */
async function twistedTLSClient(port: number, hostname: string): Promise<unknown> {
  const peer = peers.spawn('tls_line_client.py', [String(port), CERT, hostname, ...LINES]);
  return JSON.parse(await peer.output);
}

describe.skipIf(!hasTwisted)('TLS interop with Twisted', () => {
  it.each([
    ['a stream lines() server', streamLineEcho],
    ['a classic LineReceiver server', ClassicLineEcho],
  ] as const)('a verifying Twisted TLS LineReceiver client talks to %s', async (_, handler) => {
    const port = await wovenTLSServer(handler);
    expect(await twistedTLSClient(port, 'localhost')).toEqual(LINES);
  });

  it('the Twisted client refuses a woven server whose certificate names another host', async () => {
    const port = await wovenTLSServer(streamLineEcho);
    const verdict = (await twistedTLSClient(port, 'other.example')) as { error?: string };
    expect(verdict.error).toBeTypeOf('string');
  });

  async function twistedTLSServer(): Promise<number> {
    return peers.spawn('framed_echo_server.py', ['line', KEY, CERT]).port;
  }

  it('a woven client verifies a Twisted TLS server via caCerts (ssl:) and trustRoots (tls:)', async () => {
    for (const desc of [
      (p: number) => `ssl:host=127.0.0.1:port=${p}:caCerts=${CERT}`,
      (p: number) => `tls:localhost:${p}:trustRoots=${CERT}`,
    ]) {
      const conn = await connect(desc(await twistedTLSServer()));
      try {
        await conn.write('over tls\r\n');
        for await (const line of lines(conn, { encoding: 'utf8' })) {
          expect(line).toBe('over tls');
          break;
        }
      } finally {
        await conn.close();
      }
    }
  });

  it('a woven client without the test root rejects the Twisted server with TLSError', async () => {
    const port = await twistedTLSServer();
    const error = await connect(`tls:localhost:${port}`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TLSError);
    expect((error as TLSError).name).toBe('TLSError');
  });
});
