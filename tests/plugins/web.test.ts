import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  getPlugins,
  type IService,
  type ServicePlugin,
  type StreamServerEndpointService,
} from '../../lib/index.js';
import { loggedDuring } from '../helpers.js';
import { connectTo, readUntil, destroyClients } from '../runner/woven-process.js';
import { httpGet, type Reply } from './http-get.js';

const services: IService[] = [];
let web: ServicePlugin;
let root: string;
let site: string;

beforeAll(async () => {
  const found = (await getPlugins('service')).find((p) => p.name === 'web');
  if (!found) throw new Error('no web built-in');
  web = found;
  root = mkdtempSync(join(tmpdir(), 'woven-web2-'));
  site = join(root, 'site');
  mkdirSync(join(site, 'sub'), { recursive: true });
  mkdirSync(join(site, 'empty'), { recursive: true });
  mkdirSync(join(site, 'list', 'inner'), { recursive: true });
  writeFileSync(join(site, 'a.txt'), 'hello, static world');
  writeFileSync(join(site, 'sub', 'index.html'), '<p>sub</p>');
  writeFileSync(join(site, 'list', '<b>&"x".txt'), 'x');
  writeFileSync(join(site, 'list', '.hidden'), 'h');
  writeFileSync(join(root, 'secret.txt'), 'do not serve');
  symlinkSync(join(root, 'secret.txt'), join(site, 'escape.txt'));
  symlinkSync(root, join(site, 'up'));
  symlinkSync(join(site, 'a.txt'), join(site, 'alias.txt'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(async () => {
  destroyClients();
  for (const s of services.splice(0)) await s.stopService();
});

async function start(options: Record<string, unknown> = {}): Promise<number> {
  const service = (await web.makeService({
    port: 'tcp:0:interface=127.0.0.1',
    path: site,
    ...options,
  })) as StreamServerEndpointService;
  services.push(service);
  await service.startService();
  const host = service.port?.getHost() as { port: number } | undefined;
  if (!host) throw new Error('web is not listening');
  return host.port;
}

function closed(s: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (s.destroyed) resolve();
    else s.once('close', () => resolve());
  });
}

function get(port: number, path: string, method = 'GET'): Promise<Reply> {
  return httpGet(port, path, { method });
}

describe('web: timeouts a client cannot outlast', () => {
  it('closes a slowloris connection sending headers a byte at a time, and serves others meanwhile', async () => {
    const port = await start({ 'headers-timeout': 0.3, 'request-timeout': 0 });
    const [events] = await loggedDuring(async () => {
      const slow = await connectTo(port);
      const gone = closed(slow);
      const request = 'GET /a.txt HTTP/1.1\r\nHost: localhost\r\nX-Slow: ';
      let sent = 0;
      const drip = setInterval(() => {
        if (!slow.destroyed) slow.write(request[sent++ % request.length] ?? 'x');
      }, 20);
      try {
        expect((await get(port, '/a.txt')).body).toBe('hello, static world');
        await gone;
      } finally {
        clearInterval(drip);
      }
      expect(sent).toBeGreaterThan(1);
    });
    const line = events.find((e) => e.why === 'request headers not complete');
    expect(line?.log_level).toBe('info');
    expect(String(line?.peer)).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const port = await start({ 'keep-alive-timeout': 0.2 });
    const [events] = await loggedDuring(async () => {
      const s = await connectTo(port);
      s.write('GET /a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n');
      const reply = await readUntil(s, (b) => b.toString().endsWith('hello, static world'));
      expect(reply.toString()).toMatch(/keep-alive/i);
      await closed(s);
    });
    expect(events.some((e) => e.why === 'idle keep-alive connection')).toBe(true);
  });

  it('serves a second request on a kept-alive connection (the idle deadline is cancelled)', async () => {
    const port = await start({ 'keep-alive-timeout': 0.5, 'headers-timeout': 0.5 });
    const s = await connectTo(port);
    s.write('GET /a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await readUntil(s, (b) => b.toString().endsWith('hello, static world'));
    s.write('GET /a.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    const both = await readUntil(s, () => false);
    expect(both.toString().match(/hello, static world/g)).toHaveLength(1);
  });
});

describe('web: request targets', () => {
  it('answers an absolute-form target (RFC 9112) and 400s one that does not parse', async () => {
    const port = await start();
    const ask = async (target: string) => {
      const s = await connectTo(port);
      s.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      return (await readUntil(s, (b) => b.includes('\r\n\r\n'))).toString('latin1');
    };
    expect(await ask('http://localhost/a.txt')).toMatch(/^HTTP\/1\.1 200 /);
    expect(await ask('http://[bad')).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe('web: --path and symlinks', () => {
  it('refuses with 403 what resolves outside the root, serves links inside it', async () => {
    const port = await start();
    for (const path of ['/escape.txt', '/up/secret.txt']) {
      const reply = await get(port, path);
      expect(reply.status).toBe(403);
      expect(reply.body).not.toContain('do not serve');
    }
    expect((await get(port, '/alias.txt')).body).toBe('hello, static world');
  });
});

describe('web: access log', () => {
  it('logs each request at info with method, path, status, bytes, duration and peer', async () => {
    const port = await start();
    const [events] = await loggedDuring(async () => {
      await get(port, '/a.txt');
      await get(port, '/nope');
      await get(port, '/a.txt', 'HEAD');
    });
    const access = events.filter((e) => e.method !== undefined && e.duration !== undefined);
    expect(access.map((e) => [e.method, e.path, e.status, e.bytes])).toEqual([
      ['GET', '/a.txt', 200, 19],
      ['GET', '/nope', 404, 0],
      ['HEAD', '/a.txt', 200, 0],
    ]);
    for (const e of access) {
      expect(e.log_level).toBe('info');
      expect(e.duration).toBeGreaterThanOrEqual(0);
      expect(String(e.peer)).toMatch(/^127\.0\.0\.1:\d+$/);
    }
  });
});

describe('web: directories', () => {
  it('serves index.html, redirects /dir to /dir/, and 404s a directory without one', async () => {
    const port = await start();
    expect((await get(port, '/sub/')).body).toBe('<p>sub</p>');
    const redirect = await get(port, '/list');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/list/');
    expect((await get(port, '/list/')).status).toBe(404);
  });

  it('lists a directory with --listing, names escaped, dotfiles left out', async () => {
    const port = await start({ listing: true });
    const page = await get(port, '/list/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('&lt;b&gt;&amp;&quot;x&quot;.txt');
    expect(page.body).not.toContain('<b>');
    expect(page.body).toContain('href="inner/"');
    expect(page.body).not.toContain('.hidden');
    expect((await get(port, '/empty/')).body).toContain('Index of /empty/');
    expect((await get(port, '/sub/')).body).toBe('<p>sub</p>');
  });
});
