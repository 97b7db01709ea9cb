// The `// Tests:` header of a lib/ file names the test files that cover it;
// each named file must exist, so the header stays a true map from code to
// its tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The test paths a file's `// Tests:` lines name. */
function namedTests(path: string): string[] {
  const headers = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('// Tests:'));
  return headers.flatMap((line) => line.match(/tests\/[\w./-]+\.ts/g) ?? []);
}

describe('// Tests: headers', () => {
  const files = sourceFiles(join(root, 'lib'));

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
