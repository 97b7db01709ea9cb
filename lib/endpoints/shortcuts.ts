// Tests: tests/endpoints/shortcuts.test.ts, tests/endpoints/integration.test.ts
import { type Connection, Factory, type Handler, type Protocol } from '../protocols/index.js';
import {
  reactor as defaultReactor,
  type IListeningPort,
  type IReactorNetwork,
} from '../transports/index.js';
import { clientFromString, serverFromString } from './from-string.js';
import type { IStreamClientEndpoint, IStreamServerEndpoint } from './interfaces.js';
import type { ConnectOptions } from './wrapping-factory.js';

/**
 * Listen on a server endpoint or description, serving `handler` (a
 * `Factory`, a `Protocol` subclass or a stream protocol). A description is
 * parsed with `serverFromString(reactor, desc)`.
 *
 * @example
 * ```ts
 * const port = await listen('tcp:0:interface=127.0.0.1', async function* (conn) {
 *   for await (const chunk of conn) yield chunk;
 * });
 * console.log(port.getHost());
 * ```
 */
export function listen(
  target: string | IStreamServerEndpoint,
  handler: Handler,
  reactor: IReactorNetwork = defaultReactor,
): Promise<IListeningPort> {
  try {
    const endpoint = typeof target === 'string' ? serverFromString(reactor, target) : target;
    return endpoint.listen(handler);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Connect to a client endpoint or description and resolve with the
 * {@link Connection}, which you drive yourself (`write`, `for await`,
 * `close`). A description is parsed with `clientFromString(reactor, desc)`;
 * `options.signal` cancels the attempt.
 *
 * @example
 * ```ts
 * const conn = await connect('tcp:127.0.0.1:8000');
 * await conn.write('hello');
 * await conn.close();
 * ```
 */
export function connect(
  target: string | IStreamClientEndpoint,
  reactor: IReactorNetwork = defaultReactor,
  options?: ConnectOptions,
): Promise<Connection> {
  try {
    const endpoint = typeof target === 'string' ? clientFromString(reactor, target) : target;
    return endpoint.connect(undefined, options) as Promise<Connection>;
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Connect `protocol` (an instance) through `endpoint`, as Twisted's
 * `connectProtocol`: the endpoint gets a factory whose `buildProtocol`
 * returns that instance. Resolves with it once connected.
 *
 * @example
 * ```ts
 * const client = await connectProtocol(new TCP4ClientEndpoint(reactor, '127.0.0.1', 8000), new MyClient());
 * ```
 */
export function connectProtocol<P extends Protocol>(
  endpoint: IStreamClientEndpoint,
  protocol: P,
  options?: ConnectOptions,
): Promise<P> {
  class OneShotFactory extends Factory {
    override buildProtocol(): Protocol {
      return protocol;
    }
  }
  return endpoint.connect(new OneShotFactory(), options) as Promise<P>;
}
