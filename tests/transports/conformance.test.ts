// The Connection conformance suite, run over real TCP, TLS and Unix sockets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import {
  ClientFactory,
  type Data,
  type Handler,
  StreamConnection,
  type Connector,
  type ListeningPort,
  Reactor,
  type StreamProtocol,
} from '../../lib/index.js';
import {
  describeConnectionConformance,
  type MakeConnectionPair,
} from '../protocols/connection-conformance.js';
import { deferred, portOf } from '../helpers.js';
import { cert, key } from './helpers.js';

const reactor = new Reactor();
const opened: { ports: ListeningPort[]; connectors: Connector[] } = { ports: [], connectors: [] };
afterEach(async () => {
  for (const c of opened.connectors.splice(0)) c.transport?.abortConnection();
  await Promise.all(opened.ports.splice(0).map((p) => p.stopListening()));
});
const dir = mkdtempSync(join(tmpdir(), 'woven-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let sockets = 0;

type Listen = (handler: Handler) => Promise<ListeningPort>;
type Dial = (port: ListeningPort, handler: Handler) => Connector;

/** A factory of handler-less StreamConnections that hands over the first one it builds. */
class Capture extends ClientFactory {
  override noisy = false;
  readonly conn = deferred<StreamConnection>();
  constructor(readonly handler?: StreamProtocol) {
    super();
  }
  override buildProtocol(): StreamConnection {
    const c = new StreamConnection(this.handler);
    c.factory = this;
    this.conn.resolve(c);
    return c;
  }
}

/** A pair maker: listen, connect, and hand over both ends' Connections. */
function pairOver(listen: Listen, dial: Dial): MakeConnectionPair {
  return async (serverHandler) => {
    const client = new Capture();
    // The server's handler starts once the client is connected: a handler
    // that aborts at once would otherwise reset the client's connect().
    const server = new Capture(
      serverHandler &&
        async function* (conn) {
          await client.conn.promise;
          const run = serverHandler(conn);
          if (Symbol.asyncIterator in run) yield* run as AsyncIterable<Data>;
          else await run;
        },
    );
    const port = await listen(server);
    opened.ports.push(port);
    opened.connectors.push(dial(port, client));
    return [await client.conn.promise, await server.conn.promise];
  };
}

describeConnectionConformance(
  'TCP',
  pairOver(
    (h) => reactor.listenTCP(0, h, 50, '127.0.0.1'),
    (port, h) => reactor.connectTCP('127.0.0.1', portOf(port), h),
  ),
);

// TLS and Unix peers see a local abort() as a clean close: Node cannot
// safely reset the TCP socket under a TLS socket, and Unix sockets have no reset.
describeConnectionConformance(
  'TLS',
  pairOver(
    (h) => reactor.listenSSL(0, h, { key, cert }, 50, '127.0.0.1'),
    (port, h) => reactor.connectSSL('localhost', portOf(port), h, { trustRoots: cert }),
  ),
  { peerSeesAbort: false },
);

describeConnectionConformance(
  'Unix',
  pairOver(
    (h) => reactor.listenUNIX(join(dir, `s${sockets++}.sock`), h),
    (port, h) => {
      const host = port.getHost();
      if (host.type !== 'UNIX' || host.name === null) throw new Error('not a Unix port');
      return reactor.connectUNIX(host.name, h);
    },
  ),
  { peerSeesAbort: false },
);
