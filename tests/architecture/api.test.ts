// The public surface, pinned: every name `woven` and `woven/testing` export,
// with its kind, sorted, in api/woven.api.txt. A change to the surface fails
// here with the diff; when it is meant, `npm run api:update` rewrites the file
// and the change shows in review.
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const entries = { woven: 'lib/index.ts', 'woven/testing': 'lib/testing/index.ts' } as const;

const kinds: readonly [ts.SymbolFlags, string][] = [
  [ts.SymbolFlags.Class, 'class'],
  [ts.SymbolFlags.Function, 'function'],
  [ts.SymbolFlags.Enum, 'enum'],
  [ts.SymbolFlags.Variable, 'const'],
  [ts.SymbolFlags.Interface, 'interface'],
  [ts.SymbolFlags.TypeAlias, 'type'],
  [ts.SymbolFlags.Module, 'namespace'],
];

function kindOf(checker: ts.TypeChecker, symbol: ts.Symbol): string {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const kind = kinds.find(([flag]) => target.flags & flag);
  return kind?.[1] ?? 'other';
}

/** The report: per entry point, one `kind name` line per export, sorted by name. */
function apiReport(): string {
  const files = Object.values(entries).map((file) => resolve(root, file));
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  };
  const program = ts.createProgram(files, options);
  const checker = program.getTypeChecker();
  const sections = Object.entries(entries).map(([name, file]) => {
    const source = program.getSourceFile(resolve(root, file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`cannot read the exports of ${file}`);
    const lines = checker
      .getExportsOfModule(moduleSymbol)
      .map((symbol) => ({ name: symbol.name, kind: kindOf(checker, symbol) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(({ name, kind }) => `${kind.padEnd(9)} ${name}`);
    return [`# ${name} (${file}): ${lines.length} names`, ...lines].join('\n');
  });
  return `${sections.join('\n\n')}\n`;
}

describe('public API', () => {
  it('matches api/woven.api.txt (run `npm run api:update` when the change is meant)', async () => {
    const report = apiReport();
    expect(report).toMatch(/^# woven \(lib\/index\.ts\): \d+ names\n/);
    expect(report).not.toMatch(/^other /m);
    await expect(report).toMatchFileSnapshot(
      '../../api/woven.api.txt',
      'the public surface changed: if that is meant, run `npm run api:update` and commit api/woven.api.txt',
    );
  }, 60_000);
});
