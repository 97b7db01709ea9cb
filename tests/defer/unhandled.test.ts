import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
// The child imports the defer and log areas directly, so that it depends on
// nothing else of the library.
const deferIndex = fileURLToPath(new URL('../../lib/defer/index.ts', import.meta.url));
const logIndex = fileURLToPath(new URL('../../lib/log/index.ts', import.meta.url));

/**
 * Run `body` in a child `node --expose-gc --import tsx` with woven imported
 * and every `woven.defer` log event printed to stdout as `LOG <message>`.
 */
async function child(body: string): Promise<string[]> {
  const script = `
    import { Deferred, fail, succeed } from ${JSON.stringify(deferIndex)};
    import { globalLogPublisher } from ${JSON.stringify(logIndex)};
    let reported = 0;
    globalLogPublisher.addObserver((e) => {
      if (e.log_namespace !== 'woven.defer') return;
      reported++;
      process.stdout.write('LOG ' + e.log_format + ' ' + e.log_failure.getErrorMessage() + '\\n');
    });
    // Collect garbage until \`reported\` reaches \`n\` (bounded: 50 rounds).
    const collect = async (n) => {
      for (let i = 0; i < 50 && reported < n; i++) {
        globalThis.gc();
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    ${body}
  `;
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script],
    { timeout: 20_000 },
  );
  return stdout.trim().split('\n').filter(Boolean);
}

describe('unhandled errors in Deferreds', () => {
  it('a garbage-collected Deferred holding an unhandled failure is reported once', async () => {
    const lines = await child(`
      (() => { fail(new Error('lost')); })();
      await collect(1);
      await collect(2);
      console.log('END');
    `);
    expect(lines).toEqual(['LOG Unhandled error in Deferred: lost', 'END']);
  }, 30_000);

  it('a failure still unhandled at exit is reported then', async () => {
    const lines = await child(`
      globalThis.keep = fail(new Error('at exit'));
      console.log('END');
    `);
    expect(lines).toEqual(['END', 'LOG Unhandled error in Deferred: at exit']);
  }, 30_000);

  it('handled failures, successes and failures observed by then are never reported', async () => {
    const lines = await child(`
      (() => {
        fail(new Error('handled')).addErrback(() => null);
        succeed(1).addCallback((x) => x + 1);
        fail(new Error('observed')).then(undefined, () => null);
        const later = fail(new Error('handled later'));
        later.addCallback(() => 1).addErrback(() => null);
        const d = new Deferred();
        d.addCallback(() => { throw new Error('caught downstream'); }).addErrback(() => 0);
        d.callback(1);
      })();
      globalThis.kept = fail(new Error('kept and handled'));
      globalThis.kept.addErrback(() => null);
      (() => { fail(new Error('canary')); })();
      await collect(1);
      console.log('END');
    `);
    expect(lines).toEqual(['LOG Unhandled error in Deferred: canary', 'END']);
  }, 30_000);

  it('a failure handed on to a waiting Deferred is reported there, not twice', async () => {
    const lines = await child(`
      (() => {
        const inner = new Deferred();
        succeed(1).addCallback(() => inner);
        inner.errback(new Error('moved'));
      })();
      await collect(1);
      await collect(2);
      console.log('END');
    `);
    expect(lines).toEqual(['LOG Unhandled error in Deferred: moved', 'END']);
  }, 30_000);
});
