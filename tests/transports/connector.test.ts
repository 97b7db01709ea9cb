import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ClientFactory,
  type Connector,
  ConnectTimeoutError,
  type Failure,
  type IConnector,
  NotConnectingError,
  Reactor,
  UserError,
} from '../../lib/index.js';
import { Echo, deferred, portOf } from '../helpers.js';
import { Recorder, RecordingClientFactory, Resources } from './helpers.js';

const reactor = new Reactor();
const res = new Resources();
afterEach(() => res.closeAll());

/**
 * A port on 127.0.0.1 that never accepts: a Python listener with backlog 0
 * whose one queue slot is taken, so further SYNs are dropped.
 */
async function blackholePort(): Promise<number> {
  const child = spawn(
    '/usr/bin/python3',
    [
      '-c',
      'import socket,sys\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  res.onClose(() => {
    child.stdin.end();
    child.kill();
  });
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (d) => resolve(Number(String(d)))),
  );
  await new Promise<void>((resolve) => {
    res.socket(net.connect(port, '127.0.0.1')).once('connect', () => resolve());
  });
  return port;
}

describe('Connector', () => {
  it('fails with ConnectTimeoutError when the server never accepts within the timeout', async () => {
    const port = await blackholePort();
    const factory = new RecordingClientFactory();
    const started = Date.now();
    const connector = res.connector(reactor.connectTCP('127.0.0.1', port, factory, 0.3));
    const reason = await factory.failed.promise;
    expect(reason.check(ConnectTimeoutError)).toBe(ConnectTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(connector.state).toBe('disconnected');
    expect(reactor.getDelayedCalls()).toHaveLength(0);
  });

  it('stopConnecting fails the attempt with UserError; calling it when not connecting throws', async () => {
    const port = await blackholePort();
    const factory = new RecordingClientFactory();
    const connector = reactor.connectTCP('127.0.0.1', port, factory, 30);
    connector.stopConnecting();
    const reason = await factory.failed.promise;
    expect(reason.check(UserError)).toBe(UserError);
    expect(() => connector.stopConnecting()).toThrow(NotConnectingError);
    expect(reactor.getDelayedCalls()).toHaveLength(0);
    expect([factory.started, factory.stopped]).toEqual([1, 1]);
  });

  it('can reconnect from clientConnectionLost, keeping the factory started', async () => {
    const port = res.port(await reactor.listenTCP(0, Echo, 50, '127.0.0.1'));
    const done = deferred<number>();
    let connections = 0;
    let stops = 0;
    class Reconnecting extends ClientFactory {
      override noisy = false;
      override buildProtocol() {
        connections++;
        const p = new (class extends Recorder {
          override connectionMade() {
            this.transport!.loseConnection();
          }
        })();
        p.factory = this;
        return p;
      }
      override stopFactory() {
        stops++;
      }
      override clientConnectionLost(connector: IConnector, _reason: Failure) {
        if (connections < 3) connector.connect();
        else done.resolve(connections);
      }
    }
    const connector: Connector = res.connector(
      reactor.connectTCP('127.0.0.1', portOf(port), new Reconnecting()),
    );
    expect(await done.promise).toBe(3);
    expect(stops).toBe(1);
    expect(connector.state).toBe('disconnected');
  });

  it('refuses connect() while connecting or connected', async () => {
    const port = res.port(await reactor.listenTCP(0, Echo, 50, '127.0.0.1'));
    const factory = new RecordingClientFactory();
    const connector = res.connector(reactor.connectTCP('127.0.0.1', portOf(port), factory));
    expect(() => connector.connect()).toThrow();
    await (await factory.built.promise).made.promise;
    expect(() => connector.connect()).toThrow();
  });
});
