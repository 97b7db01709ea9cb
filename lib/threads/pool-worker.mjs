// The plain-JavaScript module every thread-pool worker loads (shipped with
// the package and loaded from its own files, never from a shared directory).
// It runs one task message: either an exported function of an ES module
// (imported once per worker) or a self-contained function's source
// (evaluated once per worker). Errors are returned as plain descriptions so
// their name survives the structured clone.
// Tests: tests/threads/thread-pool.test.ts
const functions = new Map();

async function resolve(message) {
  const key = message.kind === 'module' ? `${message.url}#${message.name}` : message.source;
  let fn = functions.get(key);
  if (fn === undefined) {
    if (message.kind === 'module') {
      const mod = await import(message.url);
      fn = mod[message.name];
      if (typeof fn !== 'function')
        throw new TypeError(`${message.url} exports no function named ${message.name}`);
    } else {
      // a task function travels as its source: evaluated in the global scope
      fn = new Function(`return (${message.source});`)();
      if (typeof fn !== 'function')
        throw new TypeError('the task source is not a function expression');
    }
    functions.set(key, fn);
  }
  return fn;
}

function describe(error) {
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      code: typeof error.code === 'string' ? error.code : undefined,
    };
  }
  return { name: 'Error', message: String(error) };
}

export default async function runTask(message) {
  try {
    const fn = await resolve(message);
    return { ok: true, value: await fn(...message.args) };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}
