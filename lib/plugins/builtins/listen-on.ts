import { StreamServerEndpointService } from '../../app/index.js';
import { serverFromString } from '../../endpoints/index.js';
import type { Handler } from '../../protocols/index.js';
import { reactor } from '../../time/index.js';

/** A service listening on a server endpoint description with `handler`: what every built-in makes. */
export function listenOn(description: string, handler: Handler): StreamServerEndpointService {
  return new StreamServerEndpointService(serverFromString(reactor, description), handler);
}

/** The `--port` option every built-in service has, with its default description. */
export function portOption(defaultDescription: string) {
  return {
    type: 'string',
    default: defaultDescription,
    description: 'server endpoint description to listen on',
    short: 'p',
  } as const;
}
