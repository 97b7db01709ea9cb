import { ServiceNameError } from './errors.js';

/** What a service's start or stop may return: nothing, or something to wait for. */
export type MaybeAsync = void | PromiseLike<unknown>;

/**
 * A long-running piece of an application that can be started and stopped,
 * as Twisted's `IService`.
 */
export interface IService {
  /** The name it is known by in its parent, if any. */
  name: string | undefined;
  /** The collection it belongs to, if any. */
  parent: IServiceCollection | undefined;
  /** Whether it has been started and not stopped. */
  running: boolean;
  /** Set the name; throws once the service has a parent. */
  setName(name: string): void;
  /** Join `parent` (leaving any previous one); a running parent starts it. */
  setServiceParent(parent: IServiceCollection): void;
  /** Leave the parent; a running parent stops it. */
  disownServiceParent(): MaybeAsync;
  /** Do what needs privileges, before `startService`. */
  privilegedStartService(): void;
  /** Start; may return a Promise/Deferred that fires once started. */
  startService(): MaybeAsync;
  /** Stop; may return a Promise/Deferred that fires once stopped. */
  stopService(): MaybeAsync;
}

/** A service holding child services, as Twisted's `IServiceCollection`. */
export interface IServiceCollection extends Iterable<IService> {
  /** The child called `name`; throws when there is none. */
  getServiceNamed(name: string): IService;
  /** Add a child (a duplicate name throws); a running collection starts it. */
  addService(service: IService): void;
  /** Remove a child (a stranger throws); a running collection stops it. */
  removeService(service: IService): MaybeAsync;
}

/**
 * The base service, as Twisted's `twisted.application.service.Service`:
 * `startService` and `stopService` flip {@link running}; subclasses extend
 * them (and may return a Promise or Deferred to be waited for).
 *
 * @example
 * ```ts
 * class Heartbeat extends Service {
 *   override startService() { super.startService(); console.log('up'); }
 *   override stopService() { super.stopService(); console.log('down'); }
 * }
 * const app = new MultiService();
 * new Heartbeat().setServiceParent(app);
 * await app.startService();
 * ```
 */
export class Service implements IService {
  /** The name it is known by in its parent, if any. */
  name: string | undefined = undefined;
  /** The collection it belongs to, if any. */
  parent: IServiceCollection | undefined = undefined;
  /** Whether it has been started and not stopped. */
  running = false;

  /** Set the name; throws {@link ServiceNameError} once the service has a parent. */
  setName(name: string): void {
    if (this.parent !== undefined) {
      throw new ServiceNameError(`cannot rename service ${this.name ?? ''} while it has a parent`);
    }
    this.name = name;
  }

  /**
   * Add this service to `parent` (leaving any previous parent first). Adding
   * it to a running parent starts it.
   */
  setServiceParent(parent: IServiceCollection): void {
    if (this.parent !== undefined) void this.disownServiceParent();
    this.parent = parent;
    try {
      parent.addService(this);
    } catch (error) {
      this.parent = undefined;
      throw error;
    }
  }

  /** Leave the parent; a running service is stopped (the stop's result is returned). */
  disownServiceParent(): MaybeAsync {
    const parent = this.parent;
    if (parent === undefined) return;
    const result = parent.removeService(this);
    this.parent = undefined;
    return result;
  }

  /** Do what needs privileges (e.g. bind low ports) before they are dropped. Nothing here. */
  privilegedStartService(): void {}

  /** Mark the service running. */
  startService(): MaybeAsync {
    this.running = true;
  }

  /** Mark the service stopped. */
  stopService(): MaybeAsync {
    this.running = false;
  }
}
