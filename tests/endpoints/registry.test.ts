import { afterEach, describe, expect, it } from 'vitest';
import {
  clientFromString,
  EndpointDescriptionError,
  EndpointPrefixError,
  endpointPrefixes,
  type IListeningPort,
  registerEndpointPrefix,
  serverFromString,
  MemoryReactor,
} from '../../lib/index.js';

class FakeEndpoint {
  constructor(
    readonly parser: string,
    readonly args: unknown[],
    readonly kwargs: Record<string, string>,
  ) {}
  listen(): Promise<IListeningPort> {
    return Promise.reject(new Error('fake'));
  }
  connect(): Promise<never> {
    return Promise.reject(new Error('fake'));
  }
}

const fakePlugin = {
  kind: 'endpoint',
  prefix: 'fake',
  server: (reactor: unknown, args: string[], kwargs: Record<string, string>) =>
    new FakeEndpoint('server', [reactor, ...args], kwargs),
  client: (reactor: unknown, args: string[], kwargs: Record<string, string>) =>
    new FakeEndpoint('client', [reactor, ...args], kwargs),
};

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanups.splice(0)) undo();
});

function register(definition: Parameters<typeof registerEndpointPrefix>[0]): void {
  cleanups.push(registerEndpointPrefix(definition));
}

describe('registerEndpointPrefix', () => {
  it('has the built-in prefixes registered', () => {
    expect(endpointPrefixes()).toEqual(
      expect.arrayContaining(['tcp', 'tcp6', 'ssl', 'tls', 'unix']),
    );
  });

  it('lets serverFromString build endpoints from a registered plugin', () => {
    register(fakePlugin);
    const notAReactor = new MemoryReactor();
    const ep = serverFromString(
      notAReactor,
      'fake:hello:world:yes=no:up=down',
    ) as unknown as FakeEndpoint;
    expect(ep.parser).toBe('server');
    expect(ep.args).toEqual([notAReactor, 'hello', 'world']);
    expect({ ...ep.kwargs }).toEqual({ yes: 'no', up: 'down' });
  });

  it('lets clientFromString build endpoints from a registered plugin, passing the reactor', () => {
    register(fakePlugin);
    const reactor = new MemoryReactor();
    const ep = clientFromString(
      reactor,
      'fake:alpha:beta:cee=dee:num=1',
    ) as unknown as FakeEndpoint;
    expect(ep.parser).toBe('client');
    expect(ep.args).toEqual([reactor, 'alpha', 'beta']);
    expect({ ...ep.kwargs }).toEqual({ cee: 'dee', num: '1' });
  });

  it('matches registered prefixes case-insensitively', () => {
    register({ ...fakePlugin, prefix: 'Onion' });
    expect(serverFromString(new MemoryReactor(), 'ONION:x')).toBeInstanceOf(FakeEndpoint);
  });

  it('reports a side the plugin does not provide as a description error', () => {
    register({ prefix: 'serveronly', server: fakePlugin.server });
    expect(() => clientFromString(new MemoryReactor(), 'serveronly:x')).toThrow(
      EndpointDescriptionError,
    );
  });

  it('rejects a parser that returns no endpoint', () => {
    register({ prefix: 'broken', server: () => ({}) });
    expect(() => serverFromString(new MemoryReactor(), 'broken:x')).toThrow(/broken/);
  });

  it('refuses to replace a built-in or already registered prefix', () => {
    const error = (() => {
      try {
        registerEndpointPrefix({ ...fakePlugin, prefix: 'tcp' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EndpointPrefixError);
    expect((error as EndpointPrefixError).code).toBe('ERR_ENDPOINT_PREFIX');
    register(fakePlugin);
    expect(() => registerEndpointPrefix({ ...fakePlugin })).toThrow(EndpointPrefixError);
  });

  it('accepts the same definition twice', () => {
    register(fakePlugin);
    expect(() => register(fakePlugin)).not.toThrow();
  });

  it('rejects prefixes that could not appear in a description', () => {
    for (const prefix of ['', 'a:b', 'a=b', 'a\\b']) {
      expect(() => registerEndpointPrefix({ prefix })).toThrow(EndpointPrefixError);
    }
  });

  it('returns a function that unregisters the prefix', () => {
    const undo = registerEndpointPrefix(fakePlugin);
    undo();
    expect(() => serverFromString(new MemoryReactor(), 'fake:x')).toThrow(
      "Unknown endpoint type: 'fake'",
    );
  });
});
