/**
 * A base for classes whose instances are functions, as Twisted's observers
 * and predicates are callable objects (`__call__`). A subclass implements
 * `invoke`; calling the instance calls it. Private fields of subclasses work
 * (they are installed on the function the base constructor returns).
 */
export interface CallableObject<A extends unknown[], R> {
  // biome-ignore lint/style/useShorthandFunctionType: a call signature merged into the class
  (...args: A): R;
}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above
export abstract class CallableObject<A extends unknown[], R> {
  constructor() {
    const fn = (...args: A): R => (fn as unknown as CallableObject<A, R>).invoke(...args);
    // biome-ignore lint/correctness/noConstructorReturn: the instance is the function itself
    return Object.setPrototypeOf(fn, new.target.prototype);
  }

  /** What calling the instance does. */
  abstract invoke(...args: A): R;

  static {
    Object.setPrototypeOf(CallableObject.prototype, Function.prototype);
  }
}
