// Ported from twisted/application/test/test_internet.py (ClientServiceTests).
import { describe, expect, it } from 'vitest';
import { failureOf, loggedDuring } from '../helpers.js';
import {
  CancelledError,
  ClientService,
  type ClientServiceOptions,
  Clock,
  Deferred,
  Failure,
  Protocol,
} from '../../lib/index.js';

class FakeTransport {
  disconnecting = false;
  loseConnection(): void {
    this.disconnecting = true;
  }
}

class App extends Protocol {}

/** An endpoint whose connection attempts are Deferreds the test fires, as Twisted's endpointForTesting. */
class ConnectQueue {
  readonly connectQueue: Deferred<App>[] = [];
  readonly constructedProtocols: App[] = [];
  cancelled = 0;
  constructor(readonly fireImmediately: boolean) {}
  connect(): Deferred<App> {
    const attempt = new Deferred<unknown>(() => {
      this.cancelled++;
    });
    const connected = attempt.addCallback(() => {
      const p = new App();
      p.makeConnection(new FakeTransport() as never);
      this.constructedProtocols.push(p);
      return p;
    }) as unknown as Deferred<App>;
    this.connectQueue.push(connected);
    if (this.fireImmediately) attempt.callback(undefined);
    return connected;
  }
}

function makeReconnector({
  fireImmediately = true,
  startService = true,
  ...options
}: { fireImmediately?: boolean; startService?: boolean } & ClientServiceOptions = {}) {
  const cq = new ConnectQueue(fireImmediately);
  const clock = (options.clock as Clock | undefined) ?? new Clock();
  const service = new ClientService(cq, App, { retryPolicy: () => 1, ...options, clock });
  if (startService) service.startService();
  return { cq, service, clock };
}

const transportOf = (p: App | undefined) => p?.transport as unknown as FakeTransport;
const lose = (p: App | undefined) => p?.connectionLost(new Failure(new Error('lost')));

describe('ClientService (Twisted state machine)', () => {
  it('connects when started', () => {
    const { cq, service } = makeReconnector();
    expect(cq.constructedProtocols).toHaveLength(1);
    expect(service.whenConnected().result).toBe(cq.constructedProtocols[0]);
  });

  it('stops retrying and fires the stop once the connection is lost', () => {
    const { cq, service } = makeReconnector();
    const d = service.stopService();
    expect(d.called).toBe(false);
    expect(transportOf(cq.constructedProtocols[0]).disconnecting).toBe(true);
    lose(cq.constructedProtocols[0]);
    expect(d.called).toBe(true);
  });

  it('waits for the disconnect before connecting again when restarted', () => {
    const { cq, service } = makeReconnector();
    const d = service.stopService();
    service.startService();
    expect(d.called).toBe(false);
    expect(cq.constructedProtocols).toHaveLength(1);
    lose(cq.constructedProtocols[0]);
    expect(cq.constructedProtocols).toHaveLength(2);
  });

  it('gives later whenConnected the next connection when restarted while stopping', () => {
    const { cq, service } = makeReconnector({ fireImmediately: false });
    cq.connectQueue[0]?.callback(undefined as never);
    const first = cq.constructedProtocols[0];
    const stopped = service.stopService();
    const next = service.whenConnected();
    service.startService();
    expect(next.called).toBe(false);
    expect(transportOf(first).disconnecting).toBe(true);
    lose(first);
    expect(stopped.called).toBe(true);
    cq.connectQueue[1]?.callback(undefined as never);
    expect(next.result).toBe(cq.constructedProtocols[1]);
    expect(service.stopService().called).toBe(false);
  });

  it('fails whenConnected with CancelledError once stopped, and connects again when restarted', () => {
    const { cq, service } = makeReconnector({ fireImmediately: false });
    expect(service.stopService().called).toBe(true);
    expect(failureOf(service.whenConnected())?.value).toBeInstanceOf(CancelledError);
    service.startService();
    cq.connectQueue.at(-1)?.callback(undefined as never);
    expect(service.whenConnected().result).toBe(cq.constructedProtocols.at(-1));
  });

  it('cancels the pending retry when stopped while waiting', () => {
    const { cq, service, clock } = makeReconnector({ fireImmediately: false });
    cq.connectQueue[0]?.errback(new Error('no connection'));
    expect(clock.getDelayedCalls()).toHaveLength(1);
    const d = service.stopService();
    expect(d.called).toBe(true);
    expect(clock.getDelayedCalls()).toHaveLength(0);
  });

  it('cancels the attempt in progress when stopped while connecting', () => {
    const { cq, service } = makeReconnector({ fireImmediately: false });
    const d = service.stopService();
    expect(cq.cancelled).toBe(1);
    expect(d.called).toBe(true);
    expect(failureOf(service.whenConnected())?.value).toBeInstanceOf(CancelledError);
  });

  it('retries after a lost connection', () => {
    const { cq, clock } = makeReconnector();
    lose(cq.constructedProtocols[0]);
    expect(cq.constructedProtocols).toHaveLength(1);
    clock.advance(1);
    expect(cq.constructedProtocols).toHaveLength(2);
  });

  it('logs and ignores a second start', async () => {
    const { cq, service } = makeReconnector({ fireImmediately: false, startService: false });
    service.startService();
    const [events] = await loggedDuring(() => service.startService());
    expect(cq.connectQueue).toHaveLength(1);
    expect(events.map((e) => e.log_format)).toContain('Duplicate ClientService.startService');
  });

  it('fires whenConnected made before the connection once it is made', () => {
    const { cq, service } = makeReconnector({ fireImmediately: false });
    const a = service.whenConnected();
    const b = service.whenConnected();
    expect(a.called).toBe(false);
    cq.connectQueue[0]?.callback(undefined as never);
    expect(a.result).toBe(cq.constructedProtocols[0]);
    expect(b.result).toBe(cq.constructedProtocols[0]);
  });

  it('fails whenConnected(n) with the error after n failed attempts in a row', () => {
    const { cq, service, clock } = makeReconnector({ fireImmediately: false });
    const afterOne = service.whenConnected(1);
    const afterTwo = service.whenConnected(2);
    const never = service.whenConnected();
    const refused = new Error('refused');
    cq.connectQueue[0]?.errback(refused);
    expect(failureOf(afterOne)?.value).toBe(refused);
    expect(afterTwo.called).toBe(false);
    clock.advance(1);
    cq.connectQueue[1]?.errback(refused);
    expect(failureOf(afterTwo)?.value).toBe(refused);
    expect(never.called).toBe(false);
    service.stopService();
    expect(failureOf(never)?.value).toBeInstanceOf(CancelledError);
  });

  it('returns an already fired Deferred when stopped before being started, or twice', () => {
    const { service } = makeReconnector({ startService: false });
    expect(service.stopService().called).toBe(true);
    expect(service.stopService().called).toBe(true);
  });

  it('fires every stop once the disconnect completes, restarting or not', () => {
    const { cq, service } = makeReconnector();
    const first = service.stopService();
    service.startService();
    const second = service.stopService();
    lose(cq.constructedProtocols[0]);
    expect(first.called).toBe(true);
    expect(second.called).toBe(true);
  });

  it('runs prepareConnection before handing the protocol out, and retries when it fails', () => {
    const prepared: App[] = [];
    let failNext = true;
    const { cq, service, clock } = makeReconnector({
      prepareConnection: (p) => {
        prepared.push(p as App);
        if (failNext) {
          failNext = false;
          throw new Error('login failed');
        }
      },
    });
    expect(prepared).toEqual([cq.constructedProtocols[0]]);
    expect(transportOf(cq.constructedProtocols[0]).disconnecting).toBe(true);
    const d = service.whenConnected();
    expect(d.called).toBe(false);
    clock.advance(1);
    expect(d.result).toBe(cq.constructedProtocols[1]);
    expect(prepared).toHaveLength(2);
  });

  it('waits for a prepareConnection that returns a Deferred', () => {
    const ready = new Deferred<void>();
    const { cq, service } = makeReconnector({ prepareConnection: () => ready });
    const d = service.whenConnected();
    expect(d.called).toBe(false);
    ready.callback(undefined);
    expect(d.result).toBe(cq.constructedProtocols[0]);
  });
});
