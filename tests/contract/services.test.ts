import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  ClientService,
  Clock,
  type Connection,
  connectionPair,
  Deferred,
  MultiService,
  RaisingMemoryReactor,
  Service,
  StreamServerEndpointService,
  serverFromString,
  TimerService,
} from '../../lib/index.js';

/** A service that records its start and stop, with a Deferred to finish each. */
class Recorder extends Service {
  starts: Deferred<void>[] = [];
  stops: Deferred<void>[] = [];
  constructor(
    name: string,
    readonly log: string[],
  ) {
    super();
    this.setName(name);
  }
  override startService(): Deferred<void> {
    super.startService();
    this.log.push(`start ${this.name}`);
    const d = new Deferred<void>();
    this.starts.push(d);
    return d;
  }
  override stopService(): Deferred<void> {
    super.stopService();
    this.log.push(`stop ${this.name}`);
    const d = new Deferred<void>();
    this.stops.push(d);
    return d;
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Service', () => {
  it('setName throws once parented', () => {
    const parent = new MultiService();
    const child = new Service();
    child.setName('a');
    child.setServiceParent(parent);
    expect(child.parent).toBe(parent);
    expect(() => child.setName('b')).toThrow();
  });

  it('startService and stopService toggle running', async () => {
    const s = new Service();
    expect(s.running).toBe(false);
    await s.startService();
    expect(s.running).toBe(true);
    await s.stopService();
    expect(s.running).toBe(false);
  });
});

describe('MultiService', () => {
  it('a duplicate name throws; getServiceNamed of an unknown name throws; it is iterable', () => {
    const parent = new MultiService();
    const a = new Service();
    a.setName('a');
    parent.addService(a);
    const dup = new Service();
    dup.setName('a');
    expect(() => parent.addService(dup)).toThrow();
    expect(parent.getServiceNamed('a')).toBe(a);
    expect(() => parent.getServiceNamed('zz')).toThrow();
    expect([...parent]).toEqual([a]);
  });

  it('removing an absent child throws; removing a running child stops it', async () => {
    const parent = new MultiService();
    expect(() => parent.removeService(new Service())).toThrow();
    const child = new Service();
    child.setServiceParent(parent);
    await parent.startService();
    expect(child.running).toBe(true);
    await parent.removeService(child);
    expect(child.running).toBe(false);
    await parent.stopService();
  });

  it('adding to a running parent starts the child', async () => {
    const parent = new MultiService();
    await parent.startService();
    const child = new Service();
    parent.addService(child);
    expect(child.running).toBe(true);
    await parent.stopService();
  });

  it('starts children in insertion order, awaiting each start', async () => {
    const log: string[] = [];
    const parent = new MultiService();
    const a = new Recorder('a', log);
    const b = new Recorder('b', log);
    a.setServiceParent(parent);
    b.setServiceParent(parent);
    const started = Promise.resolve(parent.startService());
    await flush();
    expect(log).toEqual(['start a']);
    a.starts[0].callback(undefined);
    await flush();
    expect(log).toEqual(['start a', 'start b']);
    b.starts[0].callback(undefined);
    await started;
  });

  it('if a child fails to start, stops those already started and rejects', async () => {
    const log: string[] = [];
    const parent = new MultiService();
    const a = new Recorder('a', log);
    const b = new Recorder('b', log);
    a.setServiceParent(parent);
    b.setServiceParent(parent);
    const started = Promise.resolve(parent.startService());
    a.starts[0].callback(undefined);
    await flush();
    b.starts[0].errback(new Error('b failed'));
    await flush();
    expect(log).toContain('stop a');
    expect(log).not.toContain('stop b');
    a.stops[0]?.callback(undefined);
    await expect(started).rejects.toThrow('b failed');
  });

  it('stops children in reverse order without waiting in between, resolving when all finished', async () => {
    const log: string[] = [];
    const parent = new MultiService();
    const a = new Recorder('a', log);
    const b = new Recorder('b', log);
    a.setServiceParent(parent);
    b.setServiceParent(parent);
    const started = Promise.resolve(parent.startService());
    a.starts[0].callback(undefined);
    await flush();
    b.starts[0].callback(undefined);
    await started;
    log.length = 0;
    let stopped = false;
    const stopping = Promise.resolve(parent.stopService()).then(() => {
      stopped = true;
    });
    expect(log).toEqual(['stop b', 'stop a']);
    b.stops[0].callback(undefined);
    await flush();
    expect(stopped).toBe(false);
    a.stops[0].callback(undefined);
    await stopping;
    expect(stopped).toBe(true);
  });
});

describe('StreamServerEndpointService', () => {
  it('its start rejects if listening fails', async () => {
    const reactor = new RaisingMemoryReactor(new Error('no listen'));
    const service = new StreamServerEndpointService(
      serverFromString(reactor, 'tcp:8080'),
      async function* (conn: Connection) {
        yield* conn;
      },
    );
    service.privilegedStartService();
    await expect(Promise.resolve(service.startService())).rejects.toThrow('no listen');
  });
});

describe('TimerService', () => {
  it('calls at start, then every interval on its clock; stop waits for a call in flight', async () => {
    const clock = new Clock();
    const pending: Deferred<void>[] = [];
    const service = new TimerService(2, () => {
      const d = new Deferred<void>();
      pending.push(d);
      return d;
    });
    service.clock = clock;
    await service.startService();
    expect(pending).toHaveLength(1);
    pending[0].callback(undefined);
    clock.advance(2);
    expect(pending).toHaveLength(2);
    let stopped = false;
    const stopping = Promise.resolve(service.stopService()).then(() => {
      stopped = true;
    });
    await flush();
    expect(stopped).toBe(false);
    pending[1].callback(undefined);
    await stopping;
    expect(stopped).toBe(true);
  });
});

describe('ClientService', () => {
  it('pending whenConnected()s fail with CancelledError on stop', async () => {
    const clock = new Clock();
    const never = { connect: () => new Promise<never>(() => {}) };
    const service = new ClientService(never, async function* () {}, { clock });
    await service.startService();
    const waiting = service.whenConnected();
    let failure: unknown;
    waiting.addErrback((f: { value: unknown }) => {
      failure = f.value;
    });
    await service.stopService();
    expect(failure).toBeInstanceOf(CancelledError);
  });

  it('retries after a failed connect using retryPolicy(failedAttempts) seconds, then resolves whenConnected', async () => {
    const clock = new Clock();
    const attempts: number[] = [];
    const policyCalls: number[] = [];
    const [connection] = connectionPair();
    const endpoint = {
      connect: () => {
        attempts.push(clock.seconds());
        return attempts.length === 1
          ? Promise.reject(new Error('refused'))
          : Promise.resolve(connection);
      },
    };
    const service = new ClientService(endpoint, async function* () {}, {
      clock,
      retryPolicy: (n: number) => {
        policyCalls.push(n);
        return 3;
      },
    });
    await service.startService();
    await flush();
    expect(policyCalls).toEqual([1]);
    clock.advance(3);
    await flush();
    expect(attempts).toEqual([0, 3]);
    expect(await service.whenConnected()).toBe(connection);
    await service.stopService();
  });
});
