// Tests: tests/threads/thread-pool.test.ts

/** An error as a worker describes it (see `worker-script.ts`). */
export interface ErrorDescription {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

const builtins: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Rebuild, in this thread, an error thrown by a task in a worker: the
 * built-in class of that name when there is one (so `instanceof TypeError`
 * holds), else an `Error`; with the worker's `name`, `message`, `stack` and
 * string `code`.
 */
export function reviveError(description: ErrorDescription): Error {
  const Ctor = builtins[description.name] ?? Error;
  const error = new Ctor(description.message);
  if (error.name !== description.name) {
    Object.defineProperty(error, 'name', {
      value: description.name,
      writable: true,
      configurable: true,
    });
  }
  if (description.stack !== undefined) error.stack = description.stack;
  if (description.code !== undefined) Object.assign(error, { code: description.code });
  return error;
}
