// Interop: Twisted's own receivers (python3 + twisted, when installed) talk to
// woven's classic receivers and stream framings over real TCP on 127.0.0.1.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  encodeLengthPrefixed,
  encodeNetstring,
  Factory,
  type Handler,
  type InetAddress,
  Int8StringReceiver,
  Int16StringReceiver,
  Int32StringReceiver,
  LineReceiver,
  lengthPrefixed,
  lines,
  listen,
  NetstringReceiver,
  netstrings,
  type PrefixBytes,
  type StreamProtocol,
} from '../../../lib/index.js';

const PYTHON = '/usr/bin/python3';
const hasTwisted = spawnSync(PYTHON, ['-c', 'import twisted.protocols.basic']).status === 0;

/** A Twisted client that sends MESSAGES with the given receiver and prints the echoes as JSON. */
const CLIENT = `
import sys, json
from twisted.internet import reactor, protocol
from twisted.protocols import basic
kind, port = sys.argv[1], int(sys.argv[2])
msgs = [b"hello", b"", b"x" * 200, b"1:a,", "caf\\u00e9".encode()]
Base = {"netstring": basic.NetstringReceiver, "line": basic.LineReceiver,
        "int8": basic.Int8StringReceiver, "int16": basic.Int16StringReceiver,
        "int32": basic.Int32StringReceiver}[kind]
class Client(Base):
    def connectionMade(self):
        self.got = []
        send = self.sendLine if kind == "line" else self.sendString
        for m in msgs:
            send(m)
    def _received(self, s):
        self.got.append(s.decode("latin1"))
        if len(self.got) == len(msgs):
            print(json.dumps(self.got), flush=True)
            self.transport.loseConnection()
    lineReceived = stringReceived = _received
    def connectionLost(self, reason):
        if reactor.running:
            reactor.stop()
factory = protocol.ClientFactory()
factory.protocol = Client
factory.clientConnectionFailed = lambda c, r: reactor.stop()
reactor.connectTCP("127.0.0.1", port, factory)
reactor.callLater(10, lambda: reactor.running and reactor.stop())
reactor.run()
`;
const EXPECTED = ['hello', '', 'x'.repeat(200), '1:a,', Buffer.from('café').toString('latin1')];

const children: ChildProcess[] = [];
const ports: Awaited<ReturnType<typeof listen>>[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill();
  for (const p of ports.splice(0)) await p.stopListening();
});

async function twistedClientAgainst(kind: string, handler: Handler): Promise<string[]> {
  const port = await listen('tcp:0:interface=127.0.0.1', handler);
  ports.push(port);
  const child = spawn(PYTHON, ['-c', CLIENT, kind, String((port.getHost() as InetAddress).port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out);
}

class LineEcho extends LineReceiver {
  override lineReceived(line: Uint8Array) {
    this.sendLine(line);
  }
}
class NetstringEcho extends NetstringReceiver {
  override stringReceived(s: Uint8Array) {
    this.sendString(s);
  }
}
const intEcho = (Base: typeof Int8StringReceiver) =>
  class extends Base {
    override stringReceived(s: Uint8Array) {
      this.sendString(s);
    }
  };

const lengthPrefixedEcho = (prefixBytes: PrefixBytes): StreamProtocol =>
  async function* (conn) {
    for await (const s of lengthPrefixed(conn, { prefixBytes })) {
      yield encodeLengthPrefixed(s, prefixBytes);
    }
  };

describe.skipIf(!hasTwisted)('interop with Twisted receivers', () => {
  it.each([
    ['line', Factory.forProtocol(LineEcho)],
    ['netstring', Factory.forProtocol(NetstringEcho)],
    ['int8', Factory.forProtocol(intEcho(Int8StringReceiver))],
    ['int16', Factory.forProtocol(intEcho(Int16StringReceiver))],
    ['int32', Factory.forProtocol(intEcho(Int32StringReceiver))],
  ] as const)('a Twisted %s client and the classic woven receiver agree', async (kind, handler) => {
    expect(await twistedClientAgainst(kind, handler)).toEqual(EXPECTED);
  });

  it.each([
    [
      'line',
      async function* (conn) {
        for await (const line of lines(conn)) yield Buffer.concat([line, Buffer.from('\r\n')]);
      } as StreamProtocol,
    ],
    [
      'netstring',
      async function* (conn) {
        for await (const s of netstrings(conn)) yield encodeNetstring(s);
      } as StreamProtocol,
    ],
    ['int8', lengthPrefixedEcho(1)],
    ['int16', lengthPrefixedEcho(2)],
    ['int32', lengthPrefixedEcho(4)],
  ] as const)('a Twisted %s client and the woven stream framing agree', async (kind, handler) => {
    expect(await twistedClientAgainst(kind, handler)).toEqual(EXPECTED);
  });
});
