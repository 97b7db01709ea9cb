// Runs the Promises/A+ compliance suite (promises-aplus-tests) against
// Deferred. Started as a child process by tests/defer/aplus.test.ts with
// `node --unhandled-rejections=none --import tsx`; prints mocha's summary.
import { createRequire } from 'node:module';
import { Deferred } from '../../lib/defer/index.js';
import { globalLogPublisher } from '../../lib/log/index.js';

type Runner = (
  adapter: unknown,
  mochaOpts: Record<string, unknown>,
  cb: (err: (Error & { failures?: number }) | null) => void,
) => void;

const require = createRequire(import.meta.url);
const runAplus = require('promises-aplus-tests') as Runner;

// The suite leaves many rejections unobserved on purpose: keep their
// unhandled-error reports (at exit) out of the output.
globalLogPublisher.addObserver(() => undefined);

/** The value `resolve` was called with, handed to the first step. */
interface Resolution {
  value: unknown;
}

/**
 * The suite's adapter: resolve/reject do nothing once the Deferred has fired.
 * The suite resolves with thenables too (A+ [[Resolve]] follows them), so the
 * first step of each Deferred returns the resolution value: a thenable
 * returned from a callback is followed by the chain.
 */
const adapter = {
  deferred() {
    const d = new Deferred<Resolution>().addCallback((r) => r.value);
    return {
      promise: d,
      resolve(value: unknown) {
        if (!d.called) d.callback({ value });
      },
      reject(reason: unknown) {
        if (!d.called) d.errback(reason);
      },
    };
  },
};

runAplus(adapter, { reporter: 'dot' }, (err) => {
  process.exitCode = err ? 1 : 0;
});
