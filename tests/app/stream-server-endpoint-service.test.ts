import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Address,
  globalLogPublisher,
  type LogEvent,
  StreamServerEndpointService,
} from '../../lib/index.js';

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
let events: LogEvent[];
const collect = (e: LogEvent) => events.push(e);
beforeEach(() => {
  events = [];
  globalLogPublisher.addObserver(collect);
});
afterEach(() => globalLogPublisher.removeObserver(collect));

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
