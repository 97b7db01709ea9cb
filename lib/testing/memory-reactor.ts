// Tests: tests/testing/memory-reactor.test.ts (and tests/endpoints/*, which drive endpoints through it)
import { isIPv6 } from 'node:net';
import type { Address, Handler, IConnector } from '../protocols/index.js';
import { Clock, ReactorAlreadyRunning } from '../time/index.js';
import {
  type BindAddress,
  DEFAULT_BACKLOG,
  type IReactorNetwork,
  type TLSClientOptions,
  type TLSServerOptions,
} from '../transports/index.js';

/** A local address an outgoing connection binds to: a {@link BindAddress}, or a host alone. */
export type MemoryBindAddress = BindAddress | string;

/** The lifecycle phases of a system event trigger. */
export type TriggerPhase = 'before' | 'during' | 'after';
/** The system events a trigger can hook. */
export type TriggerEvent = 'startup' | 'shutdown';
type Hook = [fn: (...args: never[]) => unknown, args: unknown[]];

/**
 * The listening port a {@link MemoryReactor} returns: it listens on nothing;
 * `getHost()` returns the address it pretends to listen on.
 */
export class FakePort {
  readonly #host: Address;
  /** True once `stopListening()` was called. */
  stopped = false;

  constructor(host: Address) {
    this.#host = host;
  }

  /** Does nothing (the port "listens" from the start). */
  startListening(): void {}

  /** Marks the port stopped; resolves at once. */
  stopListening(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }

  /** The address this port pretends to listen on. */
  getHost(): Address {
    return this.#host;
  }
}

/**
 * The connector a {@link MemoryReactor} returns: it never connects; it
 * records whether it was told to stop connecting or to disconnect.
 */
export class FakeConnector implements IConnector {
  readonly #destination: Address;
  /** True once `stopConnecting()` was called. */
  stoppedConnecting = false;
  /** True once `disconnect()` was called. */
  disconnected = false;
  /** How many times `connect()` was called (retries). */
  connectCalls = 0;

  constructor(destination: Address) {
    this.#destination = destination;
  }

  /** Counts the call; connects nowhere. */
  connect(): void {
    this.connectCalls += 1;
  }

  /** Records the disconnect. */
  disconnect(): void {
    this.disconnected = true;
  }

  /** Records the stop. */
  stopConnecting(): void {
    this.stoppedConnecting = true;
  }

  /** The address this connector pretends to connect to. */
  getDestination(): Address {
    return this.#destination;
  }
}

function tcpAddress(host: string, port: number): Address {
  return { type: 'TCP', host, port };
}

/**
 * A fake reactor for tests, as Twisted's `twisted.internet.testing.MemoryReactor`
 * (and, since it is also a {@link Clock}, its `MemoryReactorClock`): the
 * network methods open nothing, they record their arguments as arrays in
 * Twisted's tuple order, so a test can check what an endpoint or service asked
 * for and drive the recorded factory by hand. Listen methods resolve with a
 * {@link FakePort}; connect methods return a {@link FakeConnector} (also kept
 * in `connectors`) after calling the factory's `startedConnecting`.
 *
 * @example
 * ```ts
 * const reactor = new MemoryReactor();
 * await serverFromString(reactor, 'tcp:8080:interface=127.0.0.1').listen(factory);
 * reactor.tcpServers; // [[8080, factory, 50, '127.0.0.1']]
 * ```
 */
export class MemoryReactor extends Clock implements IReactorNetwork {
  /** `listenTCP` calls: `[port, factory, backlog, interface]`. */
  readonly tcpServers: [port: number, factory: Handler, backlog: number, iface: string][] = [];
  /** `connectTCP` calls: `[host, port, factory, timeout, bindAddress]`. */
  readonly tcpClients: [
    host: string,
    port: number,
    factory: Handler,
    timeout: number,
    bindAddress: MemoryBindAddress | undefined,
  ][] = [];
  /** `listenSSL` calls: `[port, factory, contextFactory, backlog, interface]`. */
  readonly sslServers: [
    port: number,
    factory: Handler,
    contextFactory: TLSServerOptions,
    backlog: number,
    iface: string,
  ][] = [];
  /** `connectSSL` calls: `[host, port, factory, contextFactory, timeout, bindAddress]`. */
  readonly sslClients: [
    host: string,
    port: number,
    factory: Handler,
    contextFactory: TLSClientOptions,
    timeout: number,
    bindAddress: MemoryBindAddress | undefined,
  ][] = [];
  /** `listenUNIX` calls: `[address, factory, backlog, mode, wantPID]`. */
  readonly unixServers: [
    address: string,
    factory: Handler,
    backlog: number,
    mode: number,
    wantPID: boolean,
  ][] = [];
  /** `connectUNIX` calls: `[address, factory, timeout, checkPID]`. */
  readonly unixClients: [address: string, factory: Handler, timeout: number, checkPID: boolean][] =
    [];
  /** `listenUDP` calls: `[port, protocol, interface, maxPacketSize]`. */
  readonly udpServers: [port: number, protocol: object, iface: string, maxPacketSize: number][] =
    [];
  /** Every connector the connect methods returned, in order. */
  readonly connectors: FakeConnector[] = [];

  /** True between `run()` and `stop()`. */
  running = false;
  /** True once `run()` was called. */
  hasRun = false;
  /** True once `stop()` was called. */
  hasStopped = false;
  /** True once `crash()` was called. */
  hasCrashed = false;
  /** True once `install()` was called. */
  hasInstalled = false;
  /** Calls queued by `callWhenRunning`, as `[fn, args]`; `run()` makes them. */
  readonly whenRunningHooks: Hook[] = [];
  /** Triggers added by `addSystemEventTrigger`: `triggers[phase][event]` is a list of `[fn, args]`. */
  readonly triggers: Partial<Record<TriggerPhase, Partial<Record<TriggerEvent, Hook[]>>>> = {};

  /** Records that the reactor was installed. */
  install(): void {
    this.hasInstalled = true;
  }

  /**
   * Set `running` and `hasRun`, make the `callWhenRunning` calls, then
   * `stop()` (as Twisted's fake: nothing waits for anything). Throws
   * `ReactorAlreadyRunning` when called from a `callWhenRunning` call.
   */
  run(): Promise<void> {
    if (this.running) throw new ReactorAlreadyRunning('MemoryReactor is already running');
    this.running = true;
    this.hasRun = true;
    for (const [fn, args] of this.whenRunningHooks) fn(...(args as never[]));
    this.stop();
    return Promise.resolve();
  }

  /** Clear `running`, set `hasStopped`. */
  stop(): void {
    this.running = false;
    this.hasStopped = true;
  }

  /** Clear `running`, set `hasCrashed`. */
  crash(): void {
    this.running = false;
    this.hasCrashed = true;
  }

  /** Queue `fn(...args)` for `run()` (recorded in `whenRunningHooks`). */
  callWhenRunning<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    this.whenRunningHooks.push([fn as Hook[0], args]);
  }

  /** Record a trigger in `triggers[phase][event]`; returns an id for `removeSystemEventTrigger`. */
  addSystemEventTrigger<A extends unknown[]>(
    phase: TriggerPhase,
    event: TriggerEvent,
    fn: (...args: A) => unknown,
    ...args: A
  ): object {
    const phaseTriggers = this.triggers[phase] ?? {};
    this.triggers[phase] = phaseTriggers;
    const hooks = phaseTriggers[event] ?? [];
    phaseTriggers[event] = hooks;
    const hook: Hook = [fn as Hook[0], args];
    hooks.push(hook);
    return hook;
  }

  /** Remove a trigger added by `addSystemEventTrigger`; an unknown id is a `TypeError`. */
  removeSystemEventTrigger(id: object): void {
    for (const byEvent of Object.values(this.triggers)) {
      for (const hooks of Object.values(byEvent ?? {})) {
        const index = hooks?.indexOf(id as Hook) ?? -1;
        if (index >= 0) {
          hooks?.splice(index, 1);
          return;
        }
      }
    }
    throw new TypeError('removeSystemEventTrigger: no such trigger');
  }

  /** Record a TCP listen; resolves with a port on `interface` when it is IPv6, else on `0.0.0.0`. */
  listenTCP(
    port: number,
    factory: Handler,
    backlog = DEFAULT_BACKLOG,
    iface = '',
  ): Promise<FakePort> {
    this.tcpServers.push([port, factory, backlog, iface]);
    return Promise.resolve(new FakePort(tcpAddress(isIPv6(iface) ? iface : '0.0.0.0', port)));
  }

  /** Record a TCP connect; returns a connector that never connects. */
  connectTCP(
    host: string,
    port: number,
    factory: Handler,
    timeout = 30,
    bindAddress?: MemoryBindAddress,
  ): FakeConnector {
    this.tcpClients.push([host, port, factory, timeout, bindAddress]);
    return this.#connector(tcpAddress(host, port), factory);
  }

  /** Record a TLS listen; resolves with a port on `0.0.0.0`. */
  listenSSL(
    port: number,
    factory: Handler,
    contextFactory: TLSServerOptions,
    backlog = DEFAULT_BACKLOG,
    iface = '',
  ): Promise<FakePort> {
    this.sslServers.push([port, factory, contextFactory, backlog, iface]);
    return Promise.resolve(new FakePort(tcpAddress('0.0.0.0', port)));
  }

  /** Record a TLS connect; returns a connector that never connects. */
  connectSSL(
    host: string,
    port: number,
    factory: Handler,
    contextFactory: TLSClientOptions,
    timeout = 30,
    bindAddress?: MemoryBindAddress,
  ): FakeConnector {
    this.sslClients.push([host, port, factory, contextFactory, timeout, bindAddress]);
    return this.#connector(tcpAddress(host, port), factory);
  }

  /** Record a Unix listen; resolves with a port on `address`. */
  listenUNIX(
    address: string,
    factory: Handler,
    backlog = DEFAULT_BACKLOG,
    mode = 0o666,
    wantPID = false,
  ): Promise<FakePort> {
    this.unixServers.push([address, factory, backlog, mode, wantPID]);
    return Promise.resolve(new FakePort({ type: 'UNIX', name: address }));
  }

  /** Record a Unix connect; returns a connector that never connects. */
  connectUNIX(address: string, factory: Handler, timeout = 30, checkPID = false): FakeConnector {
    this.unixClients.push([address, factory, timeout, checkPID]);
    return this.#connector({ type: 'UNIX', name: address }, factory);
  }

  /** Record a UDP listen; resolves with a port on `interface` (or `0.0.0.0`). */
  listenUDP(port: number, protocol: object, iface = '', maxPacketSize = 8192): Promise<FakePort> {
    this.udpServers.push([port, protocol, iface, maxPacketSize]);
    return Promise.resolve(new FakePort({ type: 'UDP', host: iface || '0.0.0.0', port }));
  }

  #connector(destination: Address, factory: Handler): FakeConnector {
    const connector = new FakeConnector(destination);
    const started = (factory as { startedConnecting?: unknown }).startedConnecting;
    if (typeof started === 'function') started.call(factory, connector);
    this.connectors.push(connector);
    return connector;
  }
}

/**
 * Twisted's name for a {@link MemoryReactor} that is also a clock; woven's
 * `MemoryReactor` always is, so this is the same class.
 */
export class MemoryReactorClock extends MemoryReactor {}

/**
 * A fake reactor whose listen methods reject with `listenError` and whose
 * connect methods throw `connectError`, as Twisted's `RaisingMemoryReactor`:
 * for testing how endpoints and services handle failures.
 */
export class RaisingMemoryReactor extends Clock implements IReactorNetwork {
  readonly #listenError: unknown;
  readonly #connectError: unknown;

  constructor(listenError?: unknown, connectError?: unknown) {
    super();
    this.#listenError = listenError;
    this.#connectError = connectError;
  }

  #listen(): Promise<never> {
    return Promise.reject(this.#listenError);
  }

  #connect(): never {
    throw this.#connectError;
  }

  /** Rejects with the listen error. */
  listenTCP(..._args: unknown[]): Promise<FakePort> {
    return this.#listen();
  }

  /** Rejects with the listen error. */
  listenSSL(..._args: unknown[]): Promise<FakePort> {
    return this.#listen();
  }

  /** Rejects with the listen error. */
  listenUNIX(..._args: unknown[]): Promise<FakePort> {
    return this.#listen();
  }

  /** Rejects with the listen error. */
  listenUDP(..._args: unknown[]): Promise<FakePort> {
    return this.#listen();
  }

  /** Throws the connect error. */
  connectTCP(..._args: unknown[]): FakeConnector {
    return this.#connect();
  }

  /** Throws the connect error. */
  connectSSL(..._args: unknown[]): FakeConnector {
    return this.#connect();
  }

  /** Throws the connect error. */
  connectUNIX(..._args: unknown[]): FakeConnector {
    return this.#connect();
  }
}
