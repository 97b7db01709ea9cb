// `{ signal }` on listen, connect, endpoint listen/connect and Connection.write:
// each rejects like Node's aborted APIs and removes its listener when it settles.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  connect,
  type IListeningPort,
  type InetAddress,
  listen,
  StreamConnection,
  StringTransport,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  reactor,
} from '../../lib/index.js';
import { echo, abortListeners, turns, closedAfterEach } from '../helpers.js';

const { ports, conns } = closedAfterEach();

function expectAborted(error: unknown, reason: unknown): void {
  expect(error).toBeInstanceOf(CancelledError);
  expect((error as Error).name).toBe('AbortError');
  expect((error as Error).cause).toBe(reason);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('listen({ signal })', () => {
  it('listens and removes its listener once listening (options last, with or without a reactor)', async () => {
    const controller = new AbortController();
    ports.push(await listen('tcp:0:interface=127.0.0.1', echo, { signal: controller.signal }));
    ports.push(
      await listen('tcp:0:interface=127.0.0.1', echo, reactor, { signal: controller.signal }),
    );
    expect(abortListeners(controller.signal)).toBe(0);
    controller.abort();
    // Once listening, the port is the caller's: aborting later does not close it.
    const conn = await connect(`tcp:127.0.0.1:${(ports[0]!.getHost() as InetAddress).port}`);
    conns.push(conn);
  });

  it('rejects with an AbortError at once for an aborted signal, without listening', async () => {
    const reason = new Error('no thanks');
    const error = await rejection(
      listen('tcp:0:interface=127.0.0.1', echo, { signal: AbortSignal.abort(reason) }),
    );
    expectAborted(error, reason);
  });

  it('closes a port that comes up after the abort', async () => {
    let stopped = 0;
    let resolveListen!: (port: IListeningPort) => void;
    const endpoint = {
      listen: () =>
        new Promise<IListeningPort>((resolve) => {
          resolveListen = resolve;
        }),
    };
    const controller = new AbortController();
    const pending = listen(endpoint, echo, { signal: controller.signal });
    controller.abort('changed my mind');
    expectAborted(await rejection(pending), 'changed my mind');
    expect(abortListeners(controller.signal)).toBe(0);
    resolveListen({
      getHost: () => ({ type: 'TCP', host: '127.0.0.1', port: 1 }),
      stopListening: () => {
        stopped += 1;
      },
    });
    await turns();
    expect(stopped).toBe(1);
  });

  it('is taken by the server endpoints', async () => {
    const controller = new AbortController();
    const endpoint = new TCP4ServerEndpoint(reactor, 0, 50, '127.0.0.1');
    ports.push(await endpoint.listen(echo, { signal: controller.signal }));
    expect(abortListeners(controller.signal)).toBe(0);
    const reason = new Error('stop');
    expectAborted(
      await rejection(endpoint.listen(echo, { signal: AbortSignal.abort(reason) })),
      reason,
    );
  });
});

describe('connect({ signal })', () => {
  async function server(): Promise<number> {
    const port = await listen('tcp:0:interface=127.0.0.1', echo);
    ports.push(port);
    return (port.getHost() as InetAddress).port;
  }

  it('connects with options as the last argument and removes its listener', async () => {
    const port = await server();
    const controller = new AbortController();
    conns.push(await connect(`tcp:127.0.0.1:${port}`, { signal: controller.signal }));
    conns.push(await connect(`tcp:127.0.0.1:${port}`, reactor, { signal: controller.signal }));
    const endpoint = new TCP4ClientEndpoint(reactor, '127.0.0.1', port);
    conns.push(await endpoint.connect({ signal: controller.signal }));
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('rejects an aborted attempt with an AbortError carrying the reason', async () => {
    const port = await server();
    const reason = new Error('too slow');
    expectAborted(
      await rejection(connect(`tcp:127.0.0.1:${port}`, { signal: AbortSignal.abort(reason) })),
      reason,
    );
    // Aborted while the attempt is under way.
    const controller = new AbortController();
    const endpoint = new TCP4ClientEndpoint(reactor, '127.0.0.1', port);
    const pending = endpoint.connect({ signal: controller.signal });
    controller.abort(reason);
    expectAborted(await rejection(pending), reason);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('looks aborted to Node: AbortSignal.timeout gives an AbortError caused by a TimeoutError', async () => {
    const signal = AbortSignal.timeout(1);
    await once(signal, 'abort');
    const error = await rejection(connect('tcp:127.0.0.1:1', { signal }));
    expect((error as Error).name).toBe('AbortError');
    expect(((error as Error).cause as Error).name).toBe('TimeoutError');
  });
});

describe('Connection.write({ signal })', () => {
  function pausedConnection(): [StreamConnection, StringTransport] {
    const transport = new StringTransport();
    const conn = new StreamConnection();
    conn.makeConnection(transport);
    (transport.producer as { pauseProducing(): void }).pauseProducing(); // the buffer is full
    return [conn, transport];
  }

  it('stops waiting for backpressure when the signal aborts; the bytes still go out', async () => {
    const [conn, transport] = pausedConnection();
    const controller = new AbortController();
    const pending = conn.write('data', { signal: controller.signal });
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort('enough');
    expectAborted(await rejection(pending), 'enough');
    expect(abortListeners(controller.signal)).toBe(0);
    expect(transport.value().toString()).toBe('data');
  });

  it('writes nothing for an aborted signal', async () => {
    const [conn, transport] = pausedConnection();
    const reason = new Error('no');
    expectAborted(
      await rejection(conn.write('data', { signal: AbortSignal.abort(reason) })),
      reason,
    );
    expect(transport.value().length).toBe(0);
  });

  it('removes its listener when the write drains', async () => {
    const [conn, transport] = pausedConnection();
    const controller = new AbortController();
    const pending = conn.write('data', { signal: controller.signal });
    (transport.producer as { resumeProducing(): void }).resumeProducing();
    await pending;
    expect(abortListeners(controller.signal)).toBe(0);
    // Not paused: resolves at once, no listener added.
    await conn.write('more', { signal: controller.signal });
    expect(abortListeners(controller.signal)).toBe(0);
  });
});
