import { describe, expect, it } from 'vitest';
import {
  type Address,
  CancelledError,
  Deferred,
  Factory,
  StreamServerEndpointService,
} from '../../lib/index.js';
import { logEventsOfEachTest } from '../helpers.js';

class FakePort {
  stopped = 0;
  constructor(readonly address: Address) {}
  getHost(): Address {
    return this.address;
  }
  async stopListening(): Promise<void> {
    this.stopped++;
  }
}

/** A server endpoint whose listen() is settled by the test. */
class FakeEndpoint {
  handlers: unknown[] = [];
  resolve!: (port: FakePort) => void;
  reject!: (error: Error) => void;
  listen(handler: unknown): Promise<FakePort> {
    this.handlers.push(handler);
    return new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

const address: Address = { type: 'TCP', host: '127.0.0.1', port: 4321 };
const handler = async () => {};
const events = logEventsOfEachTest();

describe('StreamServerEndpointService', () => {
  it('listens with its handler on start and logs the address with host and port', async () => {
    const endpoint = new FakeEndpoint();
    const service = new StreamServerEndpointService(endpoint, handler);
    const started = service.startService();
    expect(service.running).toBe(true);
    expect(endpoint.handlers).toEqual([handler]);
    const port = new FakePort(address);
    endpoint.resolve(port);
    await started;
    expect(service.port).toBe(port);
    const line = events.find((e) => e.log_format === 'listening on {address}');
    expect(line).toMatchObject({
      address: '127.0.0.1:4321',
      host: '127.0.0.1',
      port: 4321,
      log_level: 'info',
    });
  });

  it('fails to start when listening fails, and is not running', async () => {
    const endpoint = new FakeEndpoint();
    const service = new StreamServerEndpointService(endpoint, handler);
    const started = service.startService();
    endpoint.reject(Object.assign(new Error('address in use'), { code: 'EADDRINUSE' }));
    await expect(started).rejects.toThrow('address in use');
    expect(service.running).toBe(false);
  });

  it('closes the port on stop', async () => {
    const endpoint = new FakeEndpoint();
    const service = new StreamServerEndpointService(endpoint, handler);
    const started = service.startService();
    const port = new FakePort(address);
    endpoint.resolve(port);
    await started;
    await service.stopService();
    expect(port.stopped).toBe(1);
    expect(service.running).toBe(false);
  });

  it('closes the port as soon as it opens when stopped while starting', async () => {
    const endpoint = new FakeEndpoint();
    const service = new StreamServerEndpointService(endpoint, handler);
    void service.startService();
    const stopped = service.stopService();
    const port = new FakePort(address);
    endpoint.resolve(port);
    await stopped;
    expect(port.stopped).toBe(1);
    expect(events.some((e) => e.log_format === 'listening on {address}')).toBe(false);
  });

  it('writes IPv6 hosts in brackets', async () => {
    const endpoint = new FakeEndpoint();
    const service = new StreamServerEndpointService(endpoint, handler);
    const started = service.startService();
    endpoint.resolve(new FakePort({ type: 'TCP', host: '::1', port: 80 } as Address));
    await started;
    expect(events.find((e) => e.log_format === 'listening on {address}')?.address).toBe('[::1]:80');
  });
});

/** Ported from Twisted's EndpointServiceTests: an endpoint whose listen() returns a Deferred. */
class FakeServer {
  result = new Deferred<FakePort>();
  factory: unknown;
  listenAttempts = 0;
  failImmediately: Error | undefined;
  cancelException: Error | undefined;
  stopDeferred = new Deferred<void>();
  listen(factory: unknown): Deferred<FakePort> {
    this.listenAttempts++;
    this.factory = factory;
    this.result = new Deferred<FakePort>((d) =>
      d.errback(this.cancelException ?? new CancelledError()),
    );
    if (this.failImmediately) this.result.errback(this.failImmediately);
    return this.result;
  }
  startedListening(): void {
    const port = new FakePort(address);
    port.stopListening = () => this.stopDeferred as never;
    this.result.callback(port);
  }
}

describe('StreamServerEndpointService (ported from Twisted)', () => {
  const setup = () => {
    const fakeServer = new FakeServer();
    const factory = new Factory();
    return { fakeServer, factory, svc: new StreamServerEndpointService(fakeServer, factory) };
  };

  it('listens with its factory in privilegedStartService', () => {
    const { fakeServer, factory, svc } = setup();
    svc.privilegedStartService();
    expect(fakeServer.factory).toBe(factory);
  });

  it('listens in startService if not started, and only once', () => {
    const { fakeServer, factory, svc } = setup();
    svc.privilegedStartService();
    void svc.startService();
    expect(fakeServer.factory).toBe(factory);
    expect(fakeServer.listenAttempts).toBe(1);
    expect(svc.running).toBe(true);
  });

  it('logs a listen failure, immediate or later', () => {
    for (const immediately of [true, false]) {
      const { fakeServer, svc } = setup();
      if (immediately) fakeServer.failImmediately = new RangeError('boom');
      const started = svc.startService();
      if (!immediately) fakeServer.result.errback(new RangeError('boom'));
      started.addErrback(() => undefined);
      expect(events.filter((e) => e.log_failure?.check(RangeError))).toHaveLength(1);
      events.length = 0;
    }
  });

  it('fires stopService once the port has stopped listening', () => {
    const { fakeServer, svc } = setup();
    svc.privilegedStartService();
    fakeServer.startedListening();
    void svc.startService();
    const result = svc.stopService();
    expect(result.called).toBe(false);
    fakeServer.stopDeferred.callback(undefined);
    expect(result.called).toBe(true);
    expect(svc.running).toBe(false);
  });

  it('cancels a listen still in progress, logging nothing for the CancelledError', () => {
    const { svc } = setup();
    svc.privilegedStartService();
    const result = svc.stopService();
    expect(result.called).toBe(true);
    expect(result.result).toBeUndefined();
    expect(events.filter((e) => e.log_failure)).toHaveLength(0);
  });

  it('logs an error other than CancelledError raised by the cancel', () => {
    const { fakeServer, svc } = setup();
    fakeServer.cancelException = new RangeError('cancel failed');
    svc.privilegedStartService();
    expect(svc.stopService().called).toBe(true);
    expect(events.filter((e) => e.log_failure?.check(RangeError))).toHaveLength(1);
  });
});
