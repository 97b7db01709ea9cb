// Tests: tests/endpoints/stdio.test.ts, tests/runner/stdio.test.ts
import type { Handler } from '../protocols/index.js';
import { type IReactorNetwork, StdioPort, type StdioStreams } from '../transports/index.js';
import { bindArguments } from './arguments.js';
import { AlreadyListened } from './errors.js';
import type { IStreamServerEndpoint, ListenOptions } from './interfaces.js';
import { listenUnlessAborted } from './listen-options.js';
import type { EndpointPrefixDefinition } from './registry.js';

let stdoutClaimed = false;

/**
 * Whether a {@link StandardIOEndpoint} on this process's own stdout was
 * made: the runner then writes its log to stderr, keeping stdout for the
 * protocol.
 */
export function standardOutputClaimed(): boolean {
  return stdoutClaimed;
}

/** How a {@link StandardIOEndpoint} runs. */
export interface StandardIOOptions extends StdioStreams {
  /**
   * Stop the reactor (if it runs) once the connection is gone, so that
   * `woven <service> --port stdio:` exits when its peer is done, as an
   * inetd service does (default true).
   */
  stopReactor?: boolean;
}

/**
 * A server endpoint whose one connection is this process's stdin and
 * stdout, as Twisted's `StandardIOEndpoint` (description `stdio:`): for
 * inetd-style services, pipes and tests. `listen` starts the protocol at
 * once; it listens only once ({@link AlreadyListened} after).
 *
 * @example
 * ```ts
 * await new StandardIOEndpoint(reactor).listen(echo); // echo stdin to stdout
 * ```
 */
export class StandardIOEndpoint implements IStreamServerEndpoint {
  /** The reactor stopped when the connection ends. */
  readonly reactor: IReactorNetwork;
  readonly #options: StandardIOOptions;
  #used = false;

  constructor(reactor: IReactorNetwork, options: StandardIOOptions = {}) {
    this.reactor = reactor;
    this.#options = options;
    if (options.stdout === undefined || options.stdout === process.stdout) stdoutClaimed = true;
  }

  /** Run `handler` over stdin/stdout; resolves with the {@link StdioPort}. */
  listen(handler: Handler, options?: ListenOptions): Promise<StdioPort> {
    if (this.#used) return Promise.reject(new AlreadyListened('stdio is already in use'));
    this.#used = true;
    return listenUnlessAborted(options, async () => {
      const port = new StdioPort(handler, this.#options);
      if (this.#options.stopReactor !== false) void port.closed.then(() => this.#stopReactor());
      return port;
    }) as Promise<StdioPort>;
  }

  #stopReactor(): void {
    const reactor = this.reactor as Partial<{ running: boolean; stop(): void }>;
    try {
      if (reactor.running === true) reactor.stop?.();
    } catch {
      // Already stopping (the connection closed because the server stops).
    }
  }
}

/** `stdio:` (no arguments), as Twisted's `_parseStdio`. */
function stdioServer(
  reactor: IReactorNetwork,
  args: string[],
  kwargs: Record<string, string>,
): StandardIOEndpoint {
  // `stdio:` has one empty positional argument.
  bindArguments(
    'stdio',
    [],
    args.filter((a) => a !== ''),
    kwargs,
  );
  return new StandardIOEndpoint(reactor);
}

/** The built-in `stdio:` prefix (server descriptions only). */
export const stdioPrefix: EndpointPrefixDefinition = { prefix: 'stdio', server: stdioServer };
