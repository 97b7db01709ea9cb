import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  defineEndpointPlugin,
  defineServicePlugin,
  getPlugins,
  InvalidPluginError,
  PluginConflictError,
  reactor,
  registerPlugin,
  Service,
  serverFromString,
  TCP4ServerEndpoint,
} from '../../lib/index.js';

describe('defineServicePlugin', () => {
  it('types the parsed options from the option specs', () => {
    const plugin = defineServicePlugin({
      name: 'typed',
      description: 'Typed options.',
      options: {
        port: { type: 'string', default: 'tcp:1' },
        count: { type: 'number' },
        loud: { type: 'boolean' },
        tags: { type: 'string[]' },
      },
      makeService(options) {
        expectTypeOf(options.port).toEqualTypeOf<string>();
        expectTypeOf(options.count).toEqualTypeOf<number | undefined>();
        expectTypeOf(options.loud).toEqualTypeOf<boolean>();
        expectTypeOf(options.tags).toEqualTypeOf<string[]>();
        return new Service();
      },
    });
    expect(plugin.kind).toBe('service');
  });
});

describe('registerPlugin', () => {
  it('adds a service plugin that getPlugins then returns', async () => {
    const plugin = defineServicePlugin({
      name: 'registered-in-code',
      description: 'Registered with registerPlugin.',
      makeService: () => new Service(),
    });
    registerPlugin(plugin);
    expect(await getPlugins('service')).toContain(plugin);
  });

  it('teaches serverFromString the prefix of an endpoint plugin', async () => {
    const endpoint = new TCP4ServerEndpoint(reactor, 0, 50, '127.0.0.1');
    const seen: [string[], Record<string, string>][] = [];
    const plugin = defineEndpointPlugin({
      prefix: 'fixedtest',
      server: (_reactor, args, kwargs) => {
        seen.push([args, kwargs]);
        return endpoint;
      },
    });
    registerPlugin(plugin);
    expect(serverFromString(reactor, 'fixedtest:a:b=c')).toBe(endpoint);
    expect(seen).toEqual([[['a'], { b: 'c' }]]);
    expect(await getPlugins('endpoint')).toContain(plugin);
  });

  it('rejects a malformed plugin and a name already taken', () => {
    expect(() => registerPlugin({ kind: 'service', name: 'x' } as never)).toThrow(
      InvalidPluginError,
    );
    expect(() =>
      registerPlugin(
        defineServicePlugin({
          name: 'echo',
          description: 'Another echo.',
          makeService: () => new Service(),
        }),
      ),
    ).toThrow(PluginConflictError);
  });
});
