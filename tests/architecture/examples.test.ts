// Every `@example` of the TSDoc in lib/ type-checks against woven's real
// types, as a user would paste it: strict, NodeNext, importing the public
// names it uses from 'woven' (and 'woven/testing'). An example may lean on
// context it does not show (`conn`, `d`, a user's `Echo` class): such free
// names are declared `any`, so what is checked is every use of woven itself.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { libDir, root, sourceFiles } from './lib-files.js';

interface Example {
  /** `<area>_<file>_<line>.mts`, after the line its `@example` stands on. */
  readonly file: string;
  readonly code: string;
}

/** The ```ts blocks under `@example` tags, with the comment's ` * ` margins removed. */
function examples(): Example[] {
  const pattern =
    /@example[^\n]*\n(?:[ \t]*\*[^\n`]*\n)*?[ \t]*\* ?```ts\n((?:[ \t]*\*.*\n)*?)[ \t]*\* ?```/g;
  return sourceFiles(libDir).flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    return [...text.matchAll(pattern)].map((m) => {
      const line = text.slice(0, m.index).split('\n').length;
      const code = m[1]!
        .split('\n')
        .map((l) => l.replace(/^[ \t]*\* ?/, ''))
        .join('\n');
      const file = `${relative(libDir, path).replace(/[/.]/g, '_')}_${line}.mts`;
      return { file, code };
    });
  });
}

/** The public names of `woven` and `woven/testing`, from the API report. */
function publicNames(): [Set<string>, Set<string>] {
  const [main = '', testing = ''] = readFileSync(join(root, 'api/woven.api.txt'), 'utf8').split(
    '\n\n',
  );
  const names = (section: string) =>
    new Set(
      section
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.trim().split(/\s+/)[1]!),
    );
  return [names(main), names(testing)];
}

/** The identifiers `code` uses and those it declares itself. */
function identifiers(code: string): { used: Set<string>; declared: Set<string> } {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  const used = new Set<string>();
  const declared = new Set<string>();
  const visit = (node: ts.Node): void => {
    const name = (node as { name?: ts.Node }).name;
    if (
      (ts.isVariableDeclaration(node) ||
        ts.isClassDeclaration(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isImportSpecifier(node)) &&
      name !== undefined &&
      ts.isIdentifier(name)
    ) {
      declared.add(name.text);
    }
    if (ts.isIdentifier(node)) used.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { used, declared };
}

/** `code` as a module importing the public names it uses (unless it imports for itself). */
function withImports(code: string, main: Set<string>, testing: Set<string>): string {
  if (/^import /m.test(code)) return `${code}\nexport {};\n`;
  const { used, declared } = identifiers(code);
  const free = [...used].filter((n) => !declared.has(n));
  const fromMain = free.filter((n) => main.has(n));
  const fromTesting = free.filter((n) => !main.has(n) && testing.has(n));
  const lines = [];
  if (fromMain.length > 0) lines.push(`import { ${fromMain.join(', ')} } from 'woven';`);
  if (fromTesting.length > 0)
    lines.push(`import { ${fromTesting.join(', ')} } from 'woven/testing';`);
  return `${lines.join('\n')}\n${code}\nexport {};\n`;
}

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noImplicitAny: false, // a callback of a free (any) name has untyped parameters
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
  typeRoots: [join(root, 'node_modules/@types')],
  baseUrl: root,
  paths: {
    woven: ['lib/index.ts'],
    'woven/testing': ['lib/testing/index.ts'],
    'prom-client': ['node_modules/prom-client/index.d.ts'],
  },
};

/** Type-check `files` (in `dir`); the diagnostics of the example files, by file. */
function check(dir: string, files: readonly string[]): Map<string, ts.Diagnostic[]> {
  const program = ts.createProgram(
    files.map((f) => join(dir, f)),
    options,
  );
  const byFile = new Map<string, ts.Diagnostic[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file ? relative(dir, d.file.fileName) : '';
    if (!files.includes(file)) continue;
    byFile.set(file, [...(byFile.get(file) ?? []), d]);
  }
  return byFile;
}

const CANNOT_FIND = new Set([2304, 2552, 2582]);

const dir = mkdtempSync(join(tmpdir(), 'woven-examples-'));
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TSDoc @example blocks', () => {
  const all = examples();

  it('there are many', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it('type-check against the public API', () => {
    const [main, testing] = publicNames();
    const sources = new Map(all.map((e) => [e.file, withImports(e.code, main, testing)]));
    for (const [file, code] of sources) writeFileSync(join(dir, file), code);
    // First pass: the names an example takes from its context become `any`.
    for (const [file, diagnostics] of check(dir, [...sources.keys()])) {
      const free = new Set(
        diagnostics
          .filter((d) => CANNOT_FIND.has(d.code))
          .map((d) => d.file!.text.slice(d.start!, d.start! + d.length!)),
      );
      if (free.size === 0) continue;
      const context = [...free].map((n) => `declare const ${n}: any;\ntype ${n} = any;`).join('\n');
      writeFileSync(join(dir, file), `${context}\n${sources.get(file)}`);
    }
    const errors = [...check(dir, [...sources.keys()])].flatMap(([file, diagnostics]) =>
      diagnostics.map(
        (d) => `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`,
      ),
    );
    expect(errors).toEqual([]);
  }, 120_000);
});
