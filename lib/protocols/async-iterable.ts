// Tests: tests/protocols/stream-connection.test.ts (through the handlers that use it)

/** Whether `value` can be consumed with `for await` (what a generator handler returns). */
export function isAsyncIterable<T = unknown>(value: unknown): value is AsyncIterable<T> {
  return (
    value != null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}
