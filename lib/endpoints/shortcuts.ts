// Tests: tests/endpoints/shortcuts.test.ts, tests/endpoints/integration.test.ts
import {
  abortable,
  type Connection,
  Factory,
  type Handler,
  type Protocol,
} from '../protocols/index.js';
import {
  reactor as defaultReactor,
  type IListeningPort,
  type IReactorNetwork,
} from '../transports/index.js';
import { clientFromString, serverFromString } from './from-string.js';
import type { IStreamClientEndpoint, IStreamServerEndpoint, ListenOptions } from './interfaces.js';
import { listenUnlessAborted } from './listen-options.js';
import type { ConnectOptions } from './connection-attempt.js';

/** True for an options bag (a plain object), as opposed to a reactor (a class instance). */
function isOptions(x: unknown): x is object {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** `(reactor?, options?)` or `(options)`: options come last, as in Node's APIs. */
function reactorAndOptions<O>(
  reactorOrOptions: unknown,
  options: O | undefined,
): [IReactorNetwork, O | undefined] {
  if (isOptions(reactorOrOptions)) return [defaultReactor, reactorOrOptions as O];
  return [(reactorOrOptions as IReactorNetwork | undefined) ?? defaultReactor, options];
}

/**
 * Listen on a server endpoint or description, serving `handler` (a
 * `Factory`, a `Protocol` subclass or a stream protocol). A description is
 * parsed with `serverFromString(reactor, desc)`. Options come last, as in
 * Node's APIs: aborting `options.signal` before the port is listening
 * rejects with an `AbortError` (and closes the port should it open late).
 *
 * @example
 * ```ts
 * const port = await listen('tcp:0:interface=127.0.0.1', async function* (conn) {
 *   for await (const chunk of conn) yield chunk;
 * }, { signal: AbortSignal.timeout(5000) });
 * console.log(port.getHost());
 * ```
 */
export function listen(
  target: string | IStreamServerEndpoint,
  handler: Handler,
  reactorOrOptions?: IReactorNetwork | ListenOptions | ConnectOptions,
  options?: ListenOptions,
): Promise<IListeningPort> {
  const [reactor, opts] = reactorAndOptions(reactorOrOptions, options);
  return listenUnlessAborted(opts, () => {
    const endpoint = typeof target === 'string' ? serverFromString(reactor, target) : target;
    return endpoint.listen(handler, opts);
  });
}

/**
 * Connect to a client endpoint or description and resolve with the
 * {@link Connection}, which you drive yourself (`write`, `for await`,
 * `close`). A description is parsed with `clientFromString(reactor, desc)`.
 * Options come last, as in Node's APIs (`connect(desc, { signal })` or
 * `connect(desc, reactor, { signal })`): aborting `options.signal` cancels
 * the attempt, which rejects with an `AbortError`.
 *
 * @example
 * ```ts
 * const conn = await connect('tcp:127.0.0.1:8000', { signal: AbortSignal.timeout(2000) });
 * await conn.write('hello');
 * await conn.close();
 * ```
 */
export function connect(
  target: string | IStreamClientEndpoint,
  reactorOrOptions?: IReactorNetwork | ListenOptions | ConnectOptions,
  options?: ConnectOptions,
): Promise<Connection> {
  const [reactor, opts] = reactorAndOptions(reactorOrOptions, options);
  return abortable(
    opts?.signal,
    () => {
      const endpoint = typeof target === 'string' ? clientFromString(reactor, target) : target;
      return endpoint.connect(undefined, opts) as Promise<Connection>;
    },
    (late) => late.close(),
  );
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
