// Tests: tests/protocols/handler.test.ts
import type { Handler, StreamProtocol } from './connection.js';
import { Factory } from './factory.js';
import { Protocol, type ProtocolClass } from './protocol.js';
import { StreamConnection, type StreamConnectionOptions } from './stream-connection.js';

/** True when `x` is a {@link Protocol} subclass (`x.prototype instanceof Protocol`). */
export function isProtocolClass(x: unknown): x is ProtocolClass {
  return typeof x === 'function' && x.prototype instanceof Protocol;
}

/**
 * A factory whose protocols are {@link StreamConnection}s running `handler`
 * (or, without one, plain connections left to their user).
 */
export class StreamFactory extends Factory {
  readonly #handler: StreamProtocol | undefined;
  readonly #options: StreamConnectionOptions | undefined;

  constructor(handler?: StreamProtocol, options?: StreamConnectionOptions) {
    super();
    this.#handler = handler;
    this.#options = options;
    this.noisy = false;
  }

  /** A new {@link StreamConnection} running the handler. */
  override buildProtocol(): StreamConnection {
    const p = new StreamConnection(this.#handler, this.#options);
    p.factory = this;
    return p;
  }
}

/**
 * Turn any {@link Handler} into a {@link Factory}: a factory is returned as
 * is, a `Protocol` subclass is wrapped with `Factory.forProtocol`, and a
 * stream protocol (function of a `Connection`) gets a `StreamFactory`.
 *
 * @example
 * ```ts
 * const f1 = toFactory(EchoProtocol);
 * const f2 = toFactory(async function* (conn) {
 *   for await (const chunk of conn) yield chunk;
 * });
 * ```
 */
export function toFactory(handler: Handler): Factory {
  if (handler instanceof Factory) return handler;
  if (isProtocolClass(handler)) return Factory.forProtocol(handler);
  if (typeof handler === 'function') return new StreamFactory(handler as StreamProtocol);
  throw new TypeError('a handler is a Factory, a Protocol subclass or a stream protocol function');
}
