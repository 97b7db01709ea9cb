// Tests: tests/endpoints/systemd.test.ts, tests/runner/socket-activation.test.ts
import cluster from 'node:cluster';
import type { Handler } from '../protocols/index.js';
import {
  type AddressFamily,
  adoptStreamPort,
  type IListeningPort,
  type IReactorNetwork,
} from '../transports/index.js';
import { bindArguments, requireArgument, toCount } from './arguments.js';
import { AlreadyListened, EndpointDescriptionError } from './errors.js';
import type { IStreamServerEndpoint, ListenOptions } from './interfaces.js';
import { listenUnlessAborted } from './listen-options.js';
import type { EndpointPrefixDefinition } from './registry.js';

const FAMILIES: readonly AddressFamily[] = ['INET', 'INET6', 'UNIX'];

/**
 * The sockets systemd passed to this process by socket activation, as
 * Twisted's `ListenFDs`: `LISTEN_FDS` descriptors from 3 on, meant for the
 * process `LISTEN_PID` names, with the names in `LISTEN_FDNAMES`
 * (colon-separated: a socket unit's `FileDescriptorName=`).
 *
 * @example
 * ```ts
 * const fds = ListenFDs.fromEnvironment();
 * console.log(fds.inheritedDescriptors()); // [3] under a socket unit
 * ```
 */
export class ListenFDs {
  /** The first descriptor systemd passes. */
  static readonly START = 3;
  /** The descriptors passed, in order. */
  readonly descriptors: readonly number[];
  /** Their names (`LISTEN_FDNAMES`), by position; `'unknown'` when not given, as systemd. */
  readonly names: readonly string[];
  /** Why there are none, when there are none (for error messages). */
  readonly missing: string | undefined;

  constructor(descriptors: readonly number[], names: readonly string[] = [], missing?: string) {
    this.descriptors = descriptors;
    this.names = descriptors.map((_, i) => names[i] || 'unknown');
    this.missing = descriptors.length === 0 ? (missing ?? 'no sockets were passed') : undefined;
  }

  /**
   * Read the environment. The sockets count only when `LISTEN_PID` is this
   * process — or, in a node:cluster worker, its primary, which holds them
   * (workers listen through it). The variables are left in place so that
   * the workers a primary forks find them.
   */
  static fromEnvironment(
    env: Readonly<Record<string, string | undefined>> = process.env,
    pid = process.pid,
    primary: number | undefined = cluster.isWorker ? process.ppid : undefined,
  ): ListenFDs {
    const { LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES } = env;
    if (LISTEN_PID === undefined || LISTEN_FDS === undefined) {
      return new ListenFDs([], [], 'LISTEN_PID and LISTEN_FDS are not set (not socket-activated)');
    }
    const owner = Number(LISTEN_PID);
    if (owner !== pid && owner !== primary) {
      return new ListenFDs([], [], `LISTEN_PID is ${LISTEN_PID}, not this process (${pid})`);
    }
    const count = Number(LISTEN_FDS);
    if (!Number.isInteger(count) || count < 0) {
      return new ListenFDs([], [], `LISTEN_FDS is not a count: ${JSON.stringify(LISTEN_FDS)}`);
    }
    const fds = Array.from({ length: count }, (_, i) => ListenFDs.START + i);
    return new ListenFDs(fds, LISTEN_FDNAMES?.split(':') ?? []);
  }

  /** The descriptors passed, as Twisted's `inheritedDescriptors()`. */
  inheritedDescriptors(): number[] {
    return [...this.descriptors];
  }
}

/**
 * A server endpoint on a listening socket this process inherited as a file
 * descriptor, as Twisted's `AdoptedStreamServerEndpoint`. It listens once:
 * a second `listen` rejects with {@link AlreadyListened} (closing the port
 * closes the descriptor).
 *
 * @example
 * ```ts
 * const port = await new AdoptedStreamServerEndpoint(reactor, 3, 'INET').listen(echo);
 * ```
 */
export class AdoptedStreamServerEndpoint implements IStreamServerEndpoint {
  /** The reactor given at construction (kept for Twisted's signature). */
  readonly reactor: IReactorNetwork;
  /** The inherited descriptor. */
  readonly fileno: number;
  /** Its address family. */
  readonly addressFamily: AddressFamily;
  #used = false;

  constructor(reactor: IReactorNetwork, fileno: number, addressFamily: AddressFamily) {
    this.reactor = reactor;
    this.fileno = fileno;
    this.addressFamily = addressFamily;
  }

  /** Serve `handler` on the descriptor; rejects if it is no listening socket, or on a second call. */
  listen(handler: Handler, options?: ListenOptions): Promise<IListeningPort> {
    if (this.#used) {
      return Promise.reject(
        new AlreadyListened(`file descriptor ${this.fileno} is already listened on`),
      );
    }
    this.#used = true;
    return listenUnlessAborted(options, () =>
      adoptStreamPort(this.fileno, this.addressFamily, handler),
    );
  }
}

function familyOf(value: string): AddressFamily {
  const family = value.toUpperCase() as AddressFamily;
  if (!FAMILIES.includes(family)) {
    throw new EndpointDescriptionError(
      `systemd: domain=${JSON.stringify(value)} is not one of ${FAMILIES.join(', ')}`,
      value,
    );
  }
  return family;
}

/** The descriptor `index=` or `name=` picks among those systemd passed. */
function pickDescriptor(fds: ListenFDs, index?: string, name?: string): number {
  if ((index === undefined) === (name === undefined)) {
    throw new EndpointDescriptionError('systemd: give exactly one of index= and name=', 'index');
  }
  if (fds.missing !== undefined) {
    throw new EndpointDescriptionError(`systemd: no sockets to listen on: ${fds.missing}`);
  }
  const i =
    name === undefined ? toCount('systemd', 'index', index as string) : fds.names.indexOf(name);
  const fd = fds.descriptors[i];
  if (fd === undefined) {
    const which = name === undefined ? `index ${index}` : `name ${JSON.stringify(name)}`;
    throw new EndpointDescriptionError(
      `systemd: no socket with ${which} (passed: ${fds.names.map((n, j) => `${j}=${n}`).join(', ')})`,
      name ?? index,
    );
  }
  return fd;
}

/**
 * `systemd:domain=INET:index=0` (or `name=NAME`, a socket unit's
 * `FileDescriptorName=`), as Twisted's `_SystemdParser`: listen on a socket
 * passed by systemd socket activation. `domain` is `INET`, `INET6` or `UNIX`.
 */
function systemdServer(
  reactor: IReactorNetwork,
  args: string[],
  kwargs: Record<string, string>,
): AdoptedStreamServerEndpoint {
  const a = bindArguments('systemd', ['domain', 'index', 'name'], args, kwargs);
  const family = familyOf(requireArgument('systemd', 'domain', a.domain));
  const fd = pickDescriptor(ListenFDs.fromEnvironment(), a.index, a.name);
  return new AdoptedStreamServerEndpoint(reactor, fd, family);
}

/** The built-in `systemd:` prefix (server descriptions only). */
export const systemdPrefix: EndpointPrefixDefinition = { prefix: 'systemd', server: systemdServer };
