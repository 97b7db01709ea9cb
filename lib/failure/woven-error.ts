/**
 * The root of every error woven defines. Each subclass has a stable `name`
 * (equal to its class name) and a stable `code`, both on its prototype, so
 * callers can match on either without parsing messages.
 *
 * @example
 * ```ts
 * try {
 *   d.callback(1);
 * } catch (e) {
 *   if (e instanceof WovenError && e.code === 'ERR_ALREADY_CALLED') console.log('fired twice');
 * }
 * ```
 */
export class WovenError extends Error {
  /** A stable, machine-readable code such as `ERR_CANCELLED`. */
  declare readonly code: string;

  static {
    setErrorName(WovenError, 'WovenError', 'ERR_WOVEN');
  }
}

/**
 * Give an error class its stable `name` and `code` (on the prototype, so
 * they survive minification and cost nothing per instance). Call it from the
 * class's `static` block: `static { setErrorName(this, 'X', 'ERR_X'); }`.
 */
export function setErrorName(cls: { prototype: Error }, name: string, code: string): void {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  Object.defineProperty(cls.prototype, 'code', { value: code, writable: true, configurable: true });
}
