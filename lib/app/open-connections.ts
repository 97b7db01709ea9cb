// Tests: tests/runner/cli.test.ts
import type { IService } from './service.js';

/**
 * Something holding the connections a server accepted — woven's listening
 * ports and the {@link StreamServerEndpointService}s listening on them — so
 * that a stopping runner can close them, then abort what is left at its
 * deadline.
 */
export interface OpenConnections {
  /** How many accepted connections are still open (also after listening stopped). */
  readonly connectionCount: number;
  /**
   * Tell every open connection the server is stopping (classic protocols:
   * `loseConnection()`; stream protocols: `signal` aborts with `reason`, a
   * `ServerStoppingError` by default, and iteration ends). Resolves once none is left.
   */
  closeConnections(reason?: Error): Promise<void>;
  /** Abort every open connection at once. */
  abortConnections(): void;
}

/** Whether `x` offers {@link OpenConnections}. */
export function hasOpenConnections(x: unknown): x is OpenConnections {
  const o = x as Partial<OpenConnections> | undefined;
  return typeof o?.closeConnections === 'function' && typeof o.abortConnections === 'function';
}

/**
 * Every service in the tree under `service` (itself included) that holds
 * {@link OpenConnections}, parents before children.
 */
export function connectionHolders(service: IService): OpenConnections[] {
  const found: OpenConnections[] = [];
  const visit = (s: IService): void => {
    if (hasOpenConnections(s)) found.push(s);
    if (typeof (s as Partial<Iterable<IService>>)[Symbol.iterator] === 'function') {
      for (const child of s as unknown as Iterable<IService>) visit(child);
    }
  };
  visit(service);
  return found;
}
