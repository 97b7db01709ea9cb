// Tests: tests/plugins/builtins.test.ts, tests/plugins/web-limits.test.ts
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { serverFromString } from '../../endpoints/index.js';
import { StaticRootError } from '../errors.js';
import { defineServicePlugin } from '../plugin.js';
import { reactor } from '../../time/index.js';
import { DEFAULT_HTTP_LIMITS, HttpService } from './http-service.js';
import { portOption } from './listen-on.js';
import { staticFiles } from './static-files.js';

const seconds = (description: string, value: number) =>
  ({ type: 'number', default: value, description: `${description} (seconds)` }) as const;

/** The `web` built-in service. */
export const web = defineServicePlugin({
  name: 'web',
  description: 'Serve static files over HTTP.',
  options: {
    port: portOption('tcp:8080'),
    path: { type: 'string', default: '.', description: 'directory to serve' },
    listing: {
      type: 'boolean',
      description: 'list directories that have no index.html (default: 404)',
    },
    'headers-timeout': seconds(
      'close a client whose request headers take longer',
      DEFAULT_HTTP_LIMITS.headersTimeout,
    ),
    'request-timeout': seconds(
      'close a client whose request takes longer',
      DEFAULT_HTTP_LIMITS.requestTimeout,
    ),
    'keep-alive-timeout': seconds(
      'close a keep-alive connection idle for longer',
      DEFAULT_HTTP_LIMITS.keepAliveTimeout,
    ),
  },
  makeService: (options) => {
    const root = resolve(options.path);
    if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
      throw new StaticRootError(`--path ${root} is not a directory`);
    }
    return new HttpService(
      serverFromString(reactor, options.port),
      staticFiles(root, { listing: options.listing === true }),
      {
        headersTimeout: options['headers-timeout'],
        requestTimeout: options['request-timeout'],
        keepAliveTimeout: options['keep-alive-timeout'],
      },
    );
  },
});
