/**
 * Bind the named methods of `target` to it (as own, non-enumerable
 * properties), so they work when passed around as callbacks, as Twisted code
 * does with bound methods: `clock.callLater(1, reactor.stop)`. Internal to the
 * time area.
 */
export function bindMethods<T extends object>(
  target: T,
  names: readonly (keyof T & string)[],
): void {
  for (const name of names) {
    const method = target[name];
    if (typeof method !== 'function') continue;
    Object.defineProperty(target, name, {
      value: (method as (...args: unknown[]) => unknown).bind(target),
      writable: true,
      configurable: true,
    });
  }
}
