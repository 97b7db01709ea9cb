// Errors keep the README's promise: library code throws WovenError
// subclasses with a stable name and code (or, for a bad argument, Node's
// TypeError/RangeError), never a plain `Error`. The exported classes
// themselves are checked in exports.test.ts.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { libDir, sourceFiles } from './lib-files.js';

/** Plain errors that are not woven's to type: an assertion no input can reach. */
const allowed = new Set(["runner/cli.ts: new Error('unreachable: help flags were removed')"]);

/** Every `new Error(…)` of a file, as `file: source text`. */
function plainErrors(path: string): string[] {
  const source = ts.createSourceFile(
    path,
    readFileSync(path, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Error'
    ) {
      found.push(`${relative(libDir, path)}: ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('errors', () => {
  it('library code (testing aside) creates no plain Error', () => {
    const files = sourceFiles(libDir, ['testing']);
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap(plainErrors).filter((e) => !allowed.has(e));
    expect(found).toEqual([]);
  });
});
