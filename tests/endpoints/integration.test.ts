import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { echo, Echo, readAtLeast, portOf } from '../helpers.js';
import { Collector, certArg, fixtures, keyArg } from './helpers.js';
import {
  type Connection,
  ConnectionRefusedError,
  Factory,
  StreamServerEndpointService,
  clientFromString,
  connect,
  type IListeningPort,
  listen,
  type Protocol,
  quoteStringArgument,
  Reactor,
  serverFromString,
  TLSError,
} from '../../lib/index.js';

let reactor: Reactor;
let ports: IListeningPort[];
let connections: Connection[];
let protocols: Protocol[];
let dir: string;

beforeEach(() => {
  reactor = new Reactor();
  ports = [];
  connections = [];
  protocols = [];
  dir = mkdtempSync(join(tmpdir(), 'woven-ep-'));
});

afterEach(async () => {
  for (const conn of connections) conn.abort();
  for (const p of protocols) p.transport?.abortConnection();
  await Promise.all(connections.map((c) => c.closed));
  await Promise.all(ports.map((p) => p.stopListening()));
  rmSync(dir, { recursive: true, force: true });
});

async function serve(desc: string, handler: Parameters<typeof listen>[1]): Promise<IListeningPort> {
  const port = await listen(desc, handler, reactor);
  ports.push(port);
  return port;
}

async function roundTripConnection(desc: string): Promise<void> {
  const conn = await connect(desc, reactor);
  connections.push(conn);
  await conn.write('hello, endpoint');
  expect(await readAtLeast(conn, 15)).toBe('hello, endpoint');
}

async function roundTripProtocol(desc: string): Promise<void> {
  const client = (await clientFromString(reactor, desc).connect(Collector)) as Collector;
  protocols.push(client);
  expect(client).toBeInstanceOf(Collector);
  client.transport!.write('classic');
  await client.receivedAtLeast(7);
  expect(client.received).toBe('classic');
}

describe('endpoints over real sockets', () => {
  it('tcp: serves a stream protocol and connects with a Connection', async () => {
    const port = await serve('tcp:0:interface=127.0.0.1', echo);
    expect(port.getHost()).toMatchObject({ type: 'TCP', host: '127.0.0.1' });
    await roundTripConnection(`tcp:127.0.0.1:${portOf(port)}`);
  });

  it('tcp: serves a Protocol subclass and connects a classic client', async () => {
    const port = await serve('tcp:0:interface=127.0.0.1', Echo);
    await roundTripProtocol(`tcp:host=127.0.0.1:port=${portOf(port)}:timeout=5`);
  });

  it('tcp: rejects with ConnectionRefusedError when nothing listens', async () => {
    const port = await serve('tcp:0:interface=127.0.0.1', Echo);
    const number = portOf(port);
    await port.stopListening();
    const error = await connect(`tcp:127.0.0.1:${number}`, reactor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect((error as ConnectionRefusedError).code).toBe('ERR_CONNECTION_REFUSED');
  });

  it('unix: serves and connects over a socket file, both handler styles', async () => {
    const path = quoteStringArgument(join(dir, 'echo.sock'));
    const port = await serve(`unix:${path}:mode=600:lockfile=0`, echo);
    expect(port.getHost()).toEqual({ type: 'UNIX', name: join(dir, 'echo.sock') });
    await roundTripConnection(`unix:${path}`);
    const classic = quoteStringArgument(join(dir, 'classic.sock'));
    await serve(`unix:${classic}:lockfile=0`, Echo);
    await roundTripProtocol(`unix:path=${classic}:timeout=5`);
  });

  it('ssl/tls: serves TLS from key files and connects, verifying against trustRoots', async () => {
    const port = await serve(
      `ssl:0:privateKey=${keyArg}:certKey=${certArg}:interface=127.0.0.1`,
      echo,
    );
    await roundTripConnection(`tls:localhost:${portOf(port)}:trustRoots=${certArg}`);
    const cas = join(dir, 'cas');
    mkdirSync(cas);
    copyFileSync(join(fixtures, 'localhost.crt'), join(cas, 'localhost.pem'));
    await roundTripProtocol(
      `ssl:127.0.0.1:${portOf(port)}:caCertsDir=${quoteStringArgument(cas)}:hostname=localhost`,
    );
  });

  it('tls: rejects with TLSError when the server certificate is not trusted', async () => {
    const port = await serve(
      `ssl:0:privateKey=${keyArg}:certKey=${certArg}:interface=127.0.0.1`,
      Echo,
    );
    const error = await connect(`tls:localhost:${portOf(port)}`, reactor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TLSError);
  });

  it('serverFromString endpoints listen directly too', async () => {
    const port = await serverFromString(reactor, 'tcp:0:interface=127.0.0.1').listen(echo);
    ports.push(port);
    await roundTripConnection(`tcp:127.0.0.1:${portOf(port)}`);
  });

  it('a stopService that rejects (stopFactory throws) still closes its port', async () => {
    class FailingStop extends Factory {
      override stopFactory(): void {
        throw new Error('stopFactory failed');
      }
    }
    const factory = new FailingStop();
    factory.protocol = Echo;
    const endpoint = serverFromString(reactor, 'tcp:0:interface=127.0.0.1');
    const service = new StreamServerEndpointService(endpoint, factory);
    await service.startService();
    const address = `tcp:127.0.0.1:${portOf(service.port!)}`;
    await expect(service.stopService()).rejects.toThrow('stopFactory failed');
    expect(service.running).toBe(false);
    const error = await connect(address, reactor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionRefusedError);
  });
});
