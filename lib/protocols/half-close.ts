// Tests: tests/protocols/policies/wrapping-factory.test.ts, tests/endpoints/endpoints.test.ts (the two wrappers that use it)
import type { IHalfCloseableProtocol } from './transport.js';

/**
 * Make `wrapper` offer half-close exactly when `wrapped` does (as Twisted's
 * `directlyProvides` on protocol wrappers): transports close the connection
 * on the peer's EOF for protocols without `readConnectionLost`, so a wrapper
 * must not claim the ability its wrapped protocol lacks.
 */
export function forwardHalfClose(wrapper: Partial<IHalfCloseableProtocol>, wrapped: object): void {
  const inner = wrapped as Partial<IHalfCloseableProtocol>;
  if (typeof inner.readConnectionLost === 'function') {
    wrapper.readConnectionLost = () => inner.readConnectionLost!();
  }
  if (typeof inner.writeConnectionLost === 'function') {
    wrapper.writeConnectionLost = () => inner.writeConnectionLost!();
  }
}
