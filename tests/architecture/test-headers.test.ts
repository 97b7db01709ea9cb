// The `// Tests:` header of a lib/ file names the test files that cover it;
// each named file must exist, so the header stays a true map from code to
// its tests.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libDir, root, sourceFiles } from './lib-files.js';

/** The test paths a file's `// Tests:` lines name. */
function namedTests(path: string): string[] {
  const headers = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('// Tests:'));
  return headers.flatMap((line) => line.match(/tests\/[\w./-]+\.ts/g) ?? []);
}

describe('// Tests: headers', () => {
  const files = sourceFiles(libDir);

  it('are on most files', () => {
    expect(files.filter((f) => namedTests(f).length > 0).length).toBeGreaterThan(100);
  });

  it('name test files that exist', () => {
    const missing = files.flatMap((f) =>
      namedTests(f)
        .filter((t) => !existsSync(join(root, t)))
        .map((t) => `${relative(root, f)} names ${t}`),
    );
    expect(missing).toEqual([]);
  });
});
