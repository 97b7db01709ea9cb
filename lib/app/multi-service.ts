import { Deferred, DeferredList, maybeDeferred } from '../defer/index.js';
import type { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import { NoSuchServiceError, ServiceNameError } from './errors.js';
import { type IService, type IServiceCollection, type MaybeAsync, Service } from './service.js';

const log = new Logger('woven.app.service');

/**
 * Stop `services` in reverse order, calling each `stopService` without
 * waiting for the previous one; fires when all have finished. Failures are
 * logged, as Twisted's `DeferredList` of stops would swallow them.
 */
function stopAll(services: readonly IService[]): Deferred<void> {
  const stops = [...services].reverse().map((child) =>
    maybeDeferred(() => child.stopService()).addErrback((failure: Failure) => {
      log.failure('error stopping service {service}', failure, {
        service: child.name ?? child.constructor.name,
        log_level: 'error',
      });
    }),
  );
  return new DeferredList(stops).addCallback(() => undefined) as Deferred<void>;
}

/**
 * A service made of child services, as Twisted's `MultiService`. Starting it
 * starts the children in insertion order, waiting for each one's start (a
 * returned Promise or Deferred); if one fails, those already started are
 * stopped and the start fails. Stopping calls each child's `stopService` in
 * reverse order without waiting in between, and fires once all have
 * finished. Children that start synchronously are started synchronously.
 *
 * @example
 * ```ts
 * const app = new MultiService();
 * new StreamServerEndpointService(serverFromString(reactor, 'tcp:8000'), echo).setServiceParent(app);
 * new TimerService(60, () => log.info('still alive')).setServiceParent(app);
 * await app.startService();
 * // ...
 * await app.stopService();
 * ```
 */
export class MultiService extends Service implements IServiceCollection {
  readonly #services: IService[] = [];
  readonly #named = new Map<string, IService>();

  /** Run every child's privileged start. */
  override privilegedStartService(): void {
    super.privilegedStartService();
    for (const child of this.#services) child.privilegedStartService();
  }

  /** Start the children in order, each after the previous one's start has finished. */
  override startService(): Deferred<void> {
    super.startService();
    const children = [...this.#services];
    const started: IService[] = [];
    const result = new Deferred<void>();
    const fail = (failure: Failure) => {
      this.running = false;
      stopAll(started).addCallback(() => result.errback(failure));
    };
    const next = (i: number): void => {
      const child = children[i];
      if (child === undefined) {
        result.callback(undefined);
        return;
      }
      maybeDeferred(() => child.startService()).addCallbacks(
        () => {
          started.push(child);
          next(i + 1);
        },
        (failure: Failure) => fail(failure),
      );
    };
    next(0);
    return result;
  }

  /** Stop the children in reverse order; fires when all have stopped. */
  override stopService(): Deferred<void> {
    super.stopService();
    return stopAll(this.#services);
  }

  /** The child called `name`; throws {@link NoSuchServiceError} when there is none. */
  getServiceNamed(name: string): IService {
    const child = this.#named.get(name);
    if (child === undefined) throw new NoSuchServiceError(`no service named ${name}`);
    return child;
  }

  /**
   * Add a child. A name already used throws {@link ServiceNameError}. When
   * this service is running the child is started (its start failing is logged).
   */
  addService(service: IService): void {
    if (service.name !== undefined) {
      if (this.#named.has(service.name)) {
        throw new ServiceNameError(`duplicate service name ${service.name}`);
      }
      this.#named.set(service.name, service);
    }
    this.#services.push(service);
    if (!this.running) return;
    service.privilegedStartService();
    maybeDeferred(() => service.startService()).addErrback((failure: Failure) => {
      log.failure('error starting service {service}', failure, {
        service: service.name ?? service.constructor.name,
        log_level: 'error',
      });
    });
  }

  /**
   * Remove a child; one that is not a child throws {@link NoSuchServiceError}.
   * When this service is running the child is stopped and its stop's result returned.
   */
  removeService(service: IService): MaybeAsync {
    const index = this.#services.indexOf(service);
    if (index < 0) throw new NoSuchServiceError('not a child of this service');
    this.#services.splice(index, 1);
    if (service.name !== undefined && this.#named.get(service.name) === service) {
      this.#named.delete(service.name);
    }
    if (this.running) return service.stopService();
  }

  /** The children, in insertion order. */
  [Symbol.iterator](): Iterator<IService> {
    return [...this.#services][Symbol.iterator]();
  }
}
