// Woven clients, in both styles, through endpoints against Twisted's
// NetstringReceiver and Int32StringReceiver echo servers (plain and TLS).
import { afterEach, describe, expect, it } from 'vitest';
import {
  clientFromString,
  connect,
  connectProtocol,
  type Data,
  encodeLengthPrefixed,
  encodeNetstring,
  Int32StringReceiver,
  lengthPrefixed,
  NetstringReceiver,
  netstrings,
  type Protocol,
  reactor,
} from '../../lib/index.js';
import { CERT, hasTwisted, KEY, Peers } from './peers.js';

const MESSAGES = ['hello', '', 'x'.repeat(5000), '3:abc,', 'café'];
const FRAMINGS = {
  netstring: { encode: encodeNetstring, frames: netstrings, Receiver: NetstringReceiver },
  int32: {
    encode: (s: Uint8Array) => encodeLengthPrefixed(s, 4),
    frames: lengthPrefixed,
    Receiver: Int32StringReceiver,
  },
} as const;
type Kind = keyof typeof FRAMINGS;
type StringReceiverClass = new (
  // biome-ignore lint/suspicious/noExplicitAny: a mixin base takes any constructor arguments
  ...args: any[]
) => Protocol & {
  sendString(data: Data): void;
  stringReceived(s: Uint8Array): void;
};

const peers = new Peers();
afterEach(() => peers.killAll());

/** Start a Twisted echo server of `kind` and return the client description of it. */
async function twistedServer(kind: Kind, tls: boolean): Promise<string> {
  const port = await peers.spawn('framed_echo_server.py', tls ? [kind, KEY, CERT] : [kind]).port;
  return tls ? `tls:127.0.0.1:${port}:trustRoots=${CERT}` : `tcp:127.0.0.1:${port}`;
}

/** A classic client that sends MESSAGES and resolves with the echoes. */
function classicClient(kind: Kind) {
  let done!: (got: string[]) => void;
  const result = new Promise<string[]>((resolve) => {
    done = resolve;
  });
  const Base: StringReceiverClass = FRAMINGS[kind].Receiver;
  const Client = class extends Base {
    readonly got: string[] = [];
    override connectionMade() {
      for (const m of MESSAGES) this.sendString(m);
    }
    override stringReceived(s: Uint8Array) {
      this.got.push(Buffer.from(s).toString());
      if (this.got.length === MESSAGES.length) {
        this.transport!.loseConnection();
        done(this.got);
      }
    }
  };
  return { protocol: new Client(), result };
}

describe.skipIf(!hasTwisted)('woven clients against Twisted framed servers', () => {
  for (const tls of [false, true]) {
    for (const kind of Object.keys(FRAMINGS) as Kind[]) {
      const over = tls ? 'TLS' : 'TCP';

      it(`a stream client speaks ${kind} with Twisted over ${over} (connect)`, async () => {
        const { encode, frames } = FRAMINGS[kind];
        const conn = await connect(await twistedServer(kind, tls));
        try {
          for (const m of MESSAGES) await conn.write(encode(Buffer.from(m)));
          const got: string[] = [];
          for await (const s of frames(conn)) {
            got.push(Buffer.from(s).toString());
            if (got.length === MESSAGES.length) break;
          }
          expect(got).toEqual(MESSAGES);
        } finally {
          await conn.close();
        }
      });

      it(`a classic ${FRAMINGS[kind].Receiver.name} client speaks with Twisted over ${over} (connectProtocol)`, async () => {
        const endpoint = clientFromString(reactor, await twistedServer(kind, tls));
        const { protocol, result } = classicClient(kind);
        expect(await connectProtocol(endpoint, protocol)).toBe(protocol);
        expect(await result).toEqual(MESSAGES);
      });
    }
  }
});
