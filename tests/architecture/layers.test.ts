// The import rule of docs/ARCHITECTURE.md, checked on every import in lib/:
// imports point down the layers only, areas form no cycle, and an import
// across areas names the other area's index (`../<area>/index.js`), never a
// file inside it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { libDir, sourceFiles } from './lib-files.js';

/** The layers, top first; an area may import only areas on lower layers. */
const layers: readonly (readonly string[])[] = [
  ['runner'],
  ['plugins'],
  ['app', 'websocket', 'metrics'],
  ['endpoints'],
  ['transports'],
  ['protocols', 'threads'],
  ['time'],
  ['defer'],
  ['log'],
  ['failure'],
];

/** Areas outside the layers: `testing` may import any area, and none imports it. */
const testingArea = 'testing';

const rank = new Map(layers.flatMap((areas, i) => areas.map((a) => [a, layers.length - i])));

interface Import {
  readonly file: string;
  readonly specifier: string;
  readonly fromArea: string;
  readonly toArea: string;
  /** The imported file, relative to lib/. */
  readonly target: string;
}

/** The area of a path relative to lib/: its first folder, or '' for lib/index.ts. */
function areaOf(path: string): string {
  const parts = path.split('/');
  return parts.length > 1 ? parts[0]! : '';
}

/**
 * The module specifiers of a file: its imports, re-exports, dynamic imports
 * and `import('…')` types. A `declare module` augmentation is no import: see
 * the test of augmentations below.
 */
function specifiers(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The modules a file augments with `declare module '…'`. */
function augmented(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  return source.statements
    .filter(ts.isModuleDeclaration)
    .map((node) => node.name)
    .filter(ts.isStringLiteral)
    .map((name) => name.text);
}

/** Every relative import, re-export and dynamic import of every file in lib/. */
function libImports(): Import[] {
  return sourceFiles(libDir).flatMap((path) => {
    const file = relative(libDir, path);
    return specifiers(path)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => {
        const target = relative(libDir, resolve(dirname(path), specifier));
        return { file, specifier, fromArea: areaOf(file), toArea: areaOf(target), target };
      });
  });
}

const imports = libImports();
const crossArea = imports.filter((i) => i.fromArea !== i.toArea);

function show(list: readonly Import[]): string[] {
  return list.map((i) => `${i.file} imports '${i.specifier}'`);
}

describe('layers', () => {
  it('reads the imports of every area', () => {
    const areas = new Set(imports.map((i) => i.fromArea));
    for (const area of [...rank.keys(), testingArea]) expect(areas).toContain(area);
    expect(crossArea.length).toBeGreaterThan(50);
  });

  it('places every area of lib/ on a layer', () => {
    const folders = readdirSync(libDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.filter((f) => !rank.has(f) && f !== testingArea)).toEqual([]);
  });

  it('imports point down only', () => {
    const upward = crossArea.filter((i) => {
      if (i.fromArea === '' || i.fromArea === testingArea) return i.toArea === '';
      if (i.toArea === testingArea || i.toArea === '') return true;
      return (rank.get(i.toArea) ?? Infinity) >= rank.get(i.fromArea)!;
    });
    expect(show(upward)).toEqual([]);
  });

  it('areas import each other in no cycle', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of crossArea) {
      if (i.fromArea === '' || i.toArea === '') continue;
      if (!edges.has(i.fromArea)) edges.set(i.fromArea, new Set());
      edges.get(i.fromArea)!.add(i.toArea);
    }
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
      if (from === to) return true;
      seen.add(from);
      return [...(edges.get(from) ?? [])].some(
        (next) => !seen.has(next) && reaches(next, to, seen),
      );
    };
    const cycles = [...edges].flatMap(([from, targets]) =>
      [...targets].filter((to) => reaches(to, from)).map((to) => `${from} -> ${to}`),
    );
    expect(cycles).toEqual([]);
  });

  it('crosses areas only through `../<area>/index.js`', () => {
    const deep = crossArea.filter((i) => i.target !== `${i.toArea}/index.js`);
    expect(show(deep)).toEqual([]);
  });

  it('lib/index.ts imports nothing but the areas’ indexes', () => {
    const own = imports.filter((i) => i.fromArea === '');
    expect(own.length).toBeGreaterThan(10);
    expect(show(own.filter((i) => !/^[a-z]+\/index\.js$/.test(i.target)))).toEqual([]);
  });

  it('augments one module only: transports/reactor.ts gives time’s Reactor its network methods', () => {
    const augmentations = sourceFiles(libDir).flatMap((path) =>
      augmented(path).map((name) => `${relative(libDir, path)} augments '${name}'`),
    );
    expect(augmentations).toEqual(["transports/reactor.ts augments '../time/reactor.js'"]);
  });
});
