// Tests: tests/plugins/builtins.test.ts, tests/plugins/web-limits.test.ts
import { realpathSync } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import type SendModule from 'send';
import { Logger } from '../../log/index.js';

const log = new Logger('woven.plugins.web');

const require = createRequire(import.meta.url);

/** Options of {@link staticFiles}. */
export interface StaticFilesOptions {
  /** Answer a directory without `index.html` with an HTML listing (default: 404). */
  listing?: boolean;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function answer(res: ServerResponse, status: number, body = '', type = 'text/plain'): void {
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** The HTML listing of `dir` (served at `pathname`): visible entries, directories with a trailing slash. */
async function listingOf(dir: string, pathname: string): Promise<string> {
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith('.'))
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort();
  const items = entries.map(
    (name) => `<li><a href="${escapeHTML(encodeURI(name))}">${escapeHTML(name)}</a></li>`,
  );
  const title = `Index of ${escapeHTML(pathname)}`;
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>\n<body><h1>${title}</h1>\n<ul>\n${items.join('\n')}\n</ul></body></html>\n`;
}

/** Whether `path` is `root` or inside it. */
function within(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/**
 * A request listener serving the files under `root` with `send` (types,
 * ranges, conditional GET, `index.html` for directories): a path whose real
 * location (symlinks resolved) is outside `root` gets 403; with
 * `listing`, a directory without `index.html` gets an HTML listing.
 */
export function staticFiles(root: string, options: StaticFilesOptions = {}) {
  const send = require('send') as typeof SendModule; // loaded when a web server is made, not on import
  const realRoot = realpathSync(root);
  const serve = (req: IncomingMessage, res: ServerResponse, pathname: string, path: string) =>
    send(req, pathname, { root, dotfiles: 'ignore' })
      .on('error', (error: { status?: number }) => {
        if (error.status === 404 && options.listing && pathname.endsWith('/')) {
          listingOf(path, pathname).then(
            (html) => answer(res, 200, html, 'text/html'),
            () => answer(res, 404),
          );
          return;
        }
        answer(res, error.status ?? 500);
      })
      .on('directory', () => {
        res.statusCode = 301;
        res.setHeader('Location', `${pathname}/`);
        res.end();
      })
      .pipe(res);
  return (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    let path: string;
    try {
      path = join(root, decodeURIComponent(pathname));
    } catch {
      answer(res, 400);
      return;
    }
    realpath(path).then(
      (real) => {
        if (within(realRoot, real)) return serve(req, res, pathname, path);
        log.info('refused {path}: its real path is outside the served directory', {
          path: pathname,
        });
        answer(res, 403);
      },
      () => serve(req, res, pathname, path), // missing: send answers 404 (or 403 for `..`)
    );
  };
}
