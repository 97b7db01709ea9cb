// Tests: tests/endpoints/from-string.test.ts, tests/endpoints/registry.test.ts, tests/endpoints/properties.test.ts
import type { IReactorNetwork } from '../transports/index.js';
import { registerBuiltinParsers } from './builtin-parsers.js';
import { parseDescription } from './description.js';
import { EndpointDescriptionError } from './errors.js';
import type { IStreamClientEndpoint, IStreamServerEndpoint } from './interfaces.js';
import { RateLimitedServerEndpoint, takeRateLimit } from './rate-limited.js';
import { lookupEndpointParser, registerBuiltinEndpointPrefix } from './registry.js';
import { stdioPrefix } from './stdio.js';
import { systemdPrefix } from './systemd.js';

registerBuiltinParsers(clientFromString);
registerBuiltinEndpointPrefix(systemdPrefix);
registerBuiltinEndpointPrefix(stdioPrefix);

function build(reactor: IReactorNetwork, description: string, side: 'server' | 'client'): unknown {
  if (typeof description !== 'string') {
    throw new EndpointDescriptionError(
      `endpoint description must be a string, not ${typeof description}`,
    );
  }
  const { args, kwargs } = parseDescription(description);
  const prefix = args.shift();
  if (prefix === undefined) {
    throw new EndpointDescriptionError(
      `endpoint description ${JSON.stringify(description)} does not start with an endpoint type (such as tcp:)`,
      description,
    );
  }
  const rateLimit = side === 'server' ? takeRateLimit(prefix, kwargs) : undefined;
  const endpoint = lookupEndpointParser(prefix, side)(reactor, args, kwargs);
  const method = side === 'server' ? 'listen' : 'connect';
  if (typeof (endpoint as Record<string, unknown> | null)?.[method] !== 'function') {
    throw new EndpointDescriptionError(
      `the '${prefix}' endpoint parser returned no ${side} endpoint (an object with ${method}())`,
      prefix,
    );
  }
  return rateLimit === undefined
    ? endpoint
    : new RateLimitedServerEndpoint(endpoint as IStreamServerEndpoint, rateLimit);
}

/**
 * Build a server endpoint from a description, as Twisted's
 * `serverFromString`: a prefix, then `:`-separated arguments, positional or
 * `key=value`, with `\` escaping the next character. Built in:
 * `tcp:PORT[:interface=IP][:backlog=N]`, `tcp6:PORT[:interface=IP]`,
 * `ssl:PORT[:privateKey=FILE][:certKey=FILE][:extraCertChain=FILE][:dhParameters=FILE]`,
 * `unix:PATH[:mode=660][:lockfile=0|1][:backlog=N]`; plugins add more
 * (`registerEndpointPrefix`). On any server description, `rate=N` serves
 * at most N new connections per second and `rateQueue=M` bounds those
 * waiting their turn (default M = N; beyond it they are refused and
 * logged): `tcp:8000:rate=100:rateQueue=200`. Files are read now. Throws
 * `EndpointDescriptionError` naming the bad part: an unknown prefix, a bad
 * or missing argument, an unknown keyword, an unreadable file.
 *
 * @example
 * ```ts
 * const port = await serverFromString(reactor, 'tcp:8080:interface=127.0.0.1').listen(Echo);
 * ```
 */
export function serverFromString(
  reactor: IReactorNetwork,
  description: string,
): IStreamServerEndpoint {
  return build(reactor, description, 'server') as IStreamServerEndpoint;
}

/**
 * Build a client endpoint from a description, as Twisted's
 * `clientFromString`. Built in: `tcp:HOST:PORT[:timeout=S][:bindAddress=IP]`
 * (or `host=`/`port=`), `tcp6:...` likewise, `tls:HOST:PORT[:trustRoots=PATH]
 * [:certificate=FILE][:privateKey=FILE]`, `ssl:HOST:PORT[:caCertsDir=PATH]
 * [:certKey=FILE][:privateKey=FILE][:hostname=NAME]`, and
 * `unix:PATH[:timeout=S][:lockfile=0|1]`. TLS clients verify the server's
 * certificate and name. Errors as {@link serverFromString}.
 *
 * @example
 * ```ts
 * const conn = await clientFromString(reactor, 'tcp:example.com:80:timeout=5').connect();
 * ```
 */
export function clientFromString(
  reactor: IReactorNetwork,
  description: string,
): IStreamClientEndpoint {
  return build(reactor, description, 'client') as IStreamClientEndpoint;
}
