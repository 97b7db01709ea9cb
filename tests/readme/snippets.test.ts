// Every ```ts and ```js block of the README, on its own, as a user pastes it
// into a file of a project that installed woven: each type-checks (strict,
// NodeNext, against the package's published types) and runs to the end of its
// top level without an error. The only rewrite: fixed port numbers become free
// ports, and listening descriptions get `interface=127.0.0.1`.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

interface Snippet {
  /** `readme-<line>.mts` or `.mjs`: named after the line its fence opens on. */
  file: string;
  lang: 'ts' | 'js';
  code: string;
}

/** The README's ```ts and ```js blocks. */
function snippets(): Snippet[] {
  const out: Snippet[] = [];
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lang = /^```(ts|js)\s*$/.exec(lines[i] as string)?.[1] as Snippet['lang'] | undefined;
    if (lang === undefined) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    out.push({
      file: `readme-${i + 1}.${lang === 'ts' ? 'mts' : 'mjs'}`,
      lang,
      code: lines.slice(i + 1, end).join('\n'),
    });
    i = end;
  }
  return out;
}

/** A port no one listens on right now (the OS's pick for port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `code` with each fixed port replaced by a free one, and listening descriptions bound to 127.0.0.1. */
async function localized(code: string): Promise<string> {
  const ports = new Map<string, number>();
  for (const m of code.matchAll(/(?:tcp:|port=|127\.0\.0\.1:)(\d+)/g)) {
    const n = m[1] as string;
    if (!ports.has(n)) ports.set(n, await freePort());
  }
  return code
    .replace(
      /(tcp:|port=|127\.0\.0\.1:)(\d+)/g,
      (_, pre: string, n: string) => `${pre}${ports.get(n)}`,
    )
    .replace(/'tcp:(\d+)'/g, "'tcp:$1:interface=127.0.0.1'");
}

const blocks = snippets();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'woven-readme-'));
  // As an installed package: `import ... from 'woven'` resolves to this repository's build.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'woven'), 'dir');
  // woven's own dependency, which npm hoists beside it (the metrics snippet imports it).
  symlinkSync(
    join(ROOT, 'node_modules', 'prom-client'),
    join(dir, 'node_modules', 'prom-client'),
    'dir',
  );
  writeFileSync(join(dir, 'main.mjs'), 'await import(process.argv[2]);\nprocess.exit(0);\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      include: ['*.mts'],
    }),
  );
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('README snippets, each on its own', () => {
  it('there are some', () => {
    expect(blocks.filter((b) => b.lang === 'ts').length).toBeGreaterThanOrEqual(5);
  });

  it('type-check as written (strict, NodeNext, the published types)', async () => {
    for (const b of blocks) if (b.lang === 'ts') writeFileSync(join(dir, b.file), b.code);
    const tsc = await run(process.execPath, [TSC, '-p', dir], { cwd: dir }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
    );
    expect(tsc.stdout).toBe('');
  }, 120_000);

  it.each(blocks.map((b) => [b.file, b] as const))(
    '%s runs to the end of its top level',
    async (_, b) => {
      const file = join(dir, `run-${b.file}`);
      writeFileSync(file, await localized(b.code));
      // Not `node -e`: worker threads (deferToThread) inherit the exec flags.
      const { stderr } = await run(
        process.execPath,
        ['--import', TSX, join(dir, 'main.mjs'), pathToFileURL(file).href],
        { cwd: dir, timeout: 20_000 },
      );
      expect(stderr).toBe('');
    },
    30_000,
  );
});
