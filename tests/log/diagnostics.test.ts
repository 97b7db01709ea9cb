// The diagnostics channels: their names and message shapes are public (the
// README documents them), so this pins both, over real sockets.
import { execFile } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ConnectionClosedMessage,
  type ConnectionOpenedMessage,
  ConnectionDone,
  diagnosticsChannels,
  type HandlerFailedMessage,
  type ListenMessage,
  Protocol,
  reactor,
  type TLSHandshakeFailedMessage,
} from '../../lib/index.js';
import { Echo, deferred } from '../helpers.js';
import { cert, key, Resources } from '../transports/helpers.js';

const res = new Resources();
const subscriptions: [string, (m: unknown) => void][] = [];
afterEach(async () => {
  for (const [name, fn] of subscriptions.splice(0)) unsubscribe(name, fn);
  await res.closeAll();
});

/** What each recording array waits for: a count and the wake-up once it is reached. */
const waiters = new WeakMap<unknown[], { n: number; wake: () => void }>();

/** Record every message published on `name` while the test runs. */
function record<M>(name: string): M[] {
  const messages: M[] = [];
  const fn = (m: unknown) => {
    messages.push(m as M);
    const waiter = waiters.get(messages);
    if (waiter !== undefined && messages.length >= waiter.n) waiter.wake();
  };
  subscribe(name, fn);
  subscriptions.push([name, fn]);
  return messages;
}

/** Resolve once `messages` has `n` entries (woken by the publication, bounded by the test's timeout). */
async function until(messages: unknown[], n: number): Promise<void> {
  if (messages.length < n) {
    await new Promise<void>((wake) => waiters.set(messages, { n, wake }));
    waiters.delete(messages);
  }
  expect(messages.length).toBeGreaterThanOrEqual(n);
}

function rawClient(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = res.socket(net.connect(port, '127.0.0.1'));
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

const tcpAddress = { type: 'TCP', host: '127.0.0.1', port: expect.any(Number) };

describe('diagnostics channels', () => {
  it('are the documented names, and nobody subscribes by default', () => {
    expect(
      Object.fromEntries(Object.entries(diagnosticsChannels).map(([k, c]) => [k, c.name])),
    ).toEqual({
      connectionOpened: 'woven:connection:opened',
      connectionClosed: 'woven:connection:closed',
      listenStarted: 'woven:listen:started',
      listenStopped: 'woven:listen:stopped',
      handlerFailed: 'woven:handler:failed',
      tlsHandshakeFailed: 'woven:tls:handshakeFailed',
      deferredUnhandledError: 'woven:deferred:unhandledError',
    });
    for (const c of Object.values(diagnosticsChannels)) expect(c.hasSubscribers).toBe(false);
  });

  it('publish listen started/stopped and connection opened/closed with addresses, bytes and duration', async () => {
    const started = record<ListenMessage>('woven:listen:started');
    const stopped = record<ListenMessage>('woven:listen:stopped');
    const opened = record<ConnectionOpenedMessage>('woven:connection:opened');
    const closed = record<ConnectionClosedMessage>('woven:connection:closed');
    const port = await reactor.listenTCP(0, Echo, 50, '127.0.0.1');
    const listening = port.getHost();
    expect(started).toEqual([{ port, address: listening }]);

    const client = await rawClient((listening as { port: number }).port);
    const clientPort = client.localPort;
    client.write('hello');
    await new Promise((r) => client.once('data', r));
    client.end();
    await until(closed, 1);
    await port.stopListening();
    expect(stopped).toEqual([{ port, address: listening }]);

    expect(opened).toHaveLength(1);
    expect(opened[0]).toEqual({
      transport: expect.anything(),
      localAddress: tcpAddress,
      remoteAddress: { ...tcpAddress, port: clientPort },
      listeningAddress: listening,
      secure: false,
    });
    const message = closed[0] as ConnectionClosedMessage;
    expect(message).toMatchObject({
      remoteAddress: { ...tcpAddress, port: clientPort },
      listeningAddress: listening,
      bytesReceived: 5,
      bytesSent: 5,
      secure: false,
    });
    expect(message.transport).toBe(opened[0]?.transport);
    expect(message.reason).toBeInstanceOf(ConnectionDone);
    expect(message.duration).toBeGreaterThanOrEqual(0);
    expect(message.duration).toBeLessThan(10);
  });

  it('an outgoing connection has no listening address', async () => {
    const opened = record<ConnectionOpenedMessage>('woven:connection:opened');
    const port = res.port(await reactor.listenTCP(0, Echo, 50, '127.0.0.1'));
    const done = deferred();
    class Client extends Protocol {
      override connectionMade() {
        done.resolve();
      }
    }
    res.connector(
      reactor.connectTCP('127.0.0.1', (port.getHost() as { port: number }).port, Client),
    );
    await done.promise;
    await until(opened, 2);
    expect(opened.map((m) => m.listeningAddress)).toContainEqual(null);
  });

  it('publish handler failures of classic and stream protocols', async () => {
    const failed = record<HandlerFailedMessage>('woven:handler:failed');
    class Broken extends Protocol {
      override dataReceived(): void {
        throw new Error('classic boom');
      }
    }
    const classic = res.port(await reactor.listenTCP(0, Broken, 50, '127.0.0.1'));
    const stream = res.port(
      await reactor.listenTCP(
        0,
        async (conn) => {
          for await (const _ of conn) throw new Error('stream boom');
        },
        50,
        '127.0.0.1',
      ),
    );
    for (const p of [classic, stream]) {
      (await rawClient((p.getHost() as { port: number }).port)).write('x');
    }
    await until(failed, 2);
    const byMethod = Object.fromEntries(failed.map((m) => [m.method, m]));
    expect(byMethod.dataReceived).toMatchObject({
      protocol: 'Broken',
      error: new Error('classic boom'),
      remoteAddress: tcpAddress,
    });
    expect(byMethod.stream).toMatchObject({
      protocol: 'StreamConnection',
      error: new Error('stream boom'),
      remoteAddress: tcpAddress,
    });
  });

  it('publish a TLS handshake a server rejects', async () => {
    const failed = record<TLSHandshakeFailedMessage>('woven:tls:handshakeFailed');
    const port = res.port(await reactor.listenSSL(0, Echo, { key, cert }, 50, '127.0.0.1'));
    const client = await rawClient((port.getHost() as { port: number }).port);
    const clientPort = client.localPort;
    client.write('this is not a TLS client hello\r\n\r\n');
    await until(failed, 1);
    expect(failed[0]).toMatchObject({
      isServer: true,
      remoteAddress: { ...tcpAddress, port: clientPort },
    });
    expect(failed[0]?.error).toBeInstanceOf(Error);
  });

  it('publish a Deferred left holding an unhandled failure', async () => {
    const index = fileURLToPath(new URL('../../lib/index.ts', import.meta.url));
    const script = `
      import { subscribe } from 'node:diagnostics_channel';
      import { fail } from ${JSON.stringify(index)};
      subscribe('woven:deferred:unhandledError', ({ failure }) => {
        process.stdout.write('UNHANDLED ' + failure.getErrorMessage() + '\\n');
      });
      globalThis.keep = fail(new Error('never handled'));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { timeout: 20_000 },
    );
    expect(stdout.trim()).toBe('UNHANDLED never handled');
  }, 30_000);
});
