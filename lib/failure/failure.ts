// Tests: tests/failure/failure.test.ts

/** A constructor usable with `instanceof`, as passed to {@link Failure.trap}. */
// biome-ignore lint/suspicious/noExplicitAny: constructors of any shape are matched
export type ErrorType = abstract new (...args: any[]) => unknown;

/**
 * An error captured as a value, as Twisted's `twisted.python.failure.Failure`.
 * Errbacks of a {@link Deferred} receive one; `value` is exactly what was
 * thrown (an `Error`, a string, even `undefined`).
 *
 * @example
 * ```ts
 * d.addErrback((f: Failure) => {
 *   f.trap(ConnectionRefusedError); // rethrows anything else
 *   return 'fallback';
 * });
 * ```
 */
export class Failure {
  /** The error itself: whatever was thrown or passed to `errback`. */
  readonly value: unknown;

  constructor(error: unknown) {
    this.value = error instanceof Failure ? error.value : error;
  }

  /** The error's constructor, or `undefined` when the value is not an object. */
  get type(): ErrorType | undefined {
    const v = this.value;
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
      return (v as { constructor?: ErrorType }).constructor;
    }
    return undefined;
  }

  /**
   * Return the first of `types` the error is an instance of, or `null`.
   * A string among `types` matches an error whose `name` is that string.
   */
  check(...types: (ErrorType | string)[]): ErrorType | string | null {
    for (const t of types) {
      if (typeof t === 'string') {
        if ((this.value as { name?: unknown } | null)?.name === t) return t;
      } else if (this.value instanceof (t as unknown as new () => unknown)) {
        return t;
      }
    }
    return null;
  }

  /**
   * Return the first of `types` the error is an instance of; otherwise
   * rethrow this same Failure (so an errback that traps passes others on).
   */
  trap(...types: (ErrorType | string)[]): ErrorType | string {
    const t = this.check(...types);
    if (t === null) throw this;
    return t;
  }

  /** The error's message (or its string form when it is not an Error). */
  getErrorMessage(): string {
    const v = this.value;
    if (v instanceof Error) return v.message;
    try {
      return String(v);
    } catch {
      return Object.prototype.toString.call(v);
    }
  }

  /** The error's stack trace, or `Name: message` when it has none. */
  getTraceback(): string {
    const v = this.value;
    if (v instanceof Error && v.stack) return v.stack;
    return `${this.typeName()}: ${this.getErrorMessage()}`;
  }

  /** Throw the wrapped error itself. */
  raiseException(): never {
    throw this.value;
  }

  /** The error's class name, for messages (`'undefined'` for a bare value). */
  typeName(): string {
    const v = this.value as { name?: unknown } | null | undefined;
    if (v instanceof Error) return v.name;
    if (typeof v === 'object' && v !== null) return v.constructor?.name ?? 'Object';
    return typeof v;
  }

  /** `[Failure instance: <type>: <message>]`, as Twisted's `Failure.__str__`. */
  toString(): string {
    return `[Failure instance: ${this.typeName()}: ${this.getErrorMessage()}]`;
  }
}
