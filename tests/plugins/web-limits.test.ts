// What a client can make the `web` service hold, and what bad requests get:
// timeouts (headers, request, keep-alive), 414/431/400/405, symlinks out of
// the root (403), the access log and directory listings. Real sockets on
// 127.0.0.1, small timeouts, bounded waits.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getPlugins, type IService, type StreamServerEndpointService } from '../../lib/index.js';
import { logEventsOfEachTest, nextLogged } from '../helpers.js';

let root: string;
const services: IService[] = [];
const sockets: Socket[] = [];
const events = logEventsOfEachTest();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'woven-web-limits-'));
  mkdirSync(join(root, 'site', 'plain'), { recursive: true });
  writeFileSync(join(root, 'site', 'a.txt'), 'inside');
  writeFileSync(join(root, 'site', 'plain', '<b>&.txt'), 'x');
  writeFileSync(join(root, 'outside.txt'), 'do not serve');
  symlinkSync(join(root, 'outside.txt'), join(root, 'site', 'escape.txt'));
  symlinkSync(join(root, 'site', 'a.txt'), join(root, 'site', 'alias.txt'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of services.splice(0)) await s.stopService();
});

async function web(options: Record<string, unknown> = {}): Promise<number> {
  const plugin = (await getPlugins('service')).find((p) => p.name === 'web')!;
  const service = (await plugin.makeService({
    port: 'tcp:0:interface=127.0.0.1',
    path: join(root, 'site'),
    ...options,
  })) as StreamServerEndpointService;
  services.push(service);
  await service.startService();
  return (service.port!.getHost() as { port: number }).port;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    sockets.push(s);
    s.once('connect', () => resolve(s)).once('error', reject);
  });
}

/** Everything `socket` receives until the server closes it (rejects after 10 s). */
function untilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`still open; got ${text}`)), 10_000);
    socket.setEncoding('utf8').on('data', (c: string) => {
      text += c;
    });
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

/** One raw request on a fresh connection; the whole answer (the server closes it or we read one response). */
async function raw(port: number, request: string): Promise<string> {
  const s = await open(port);
  s.write(request);
  const text = await new Promise<string>((resolve) => {
    let got = '';
    s.setEncoding('utf8').on('data', (c: string) => {
      got += c;
      if (/\r\n\r\n/.test(got)) resolve(got);
    });
    s.once('close', () => resolve(got));
  });
  return text;
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);

describe('web: timeouts', () => {
  it('closes a client sending its headers byte by byte at the headers timeout, serving others meanwhile', async () => {
    const port = await web({ 'headers-timeout': 0.3 });
    const slow = await open(port);
    const closed = untilClosed(slow);
    slow.write('GET /a.txt HTTP/1.1\r\nHo');
    const drip = setInterval(() => slow.writable && slow.write('x'), 50);
    try {
      expect(statusOf(await raw(port, 'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe(200);
      expect(await closed).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
    expect(events.some((e) => /request headers not complete/.test(String(e.why)))).toBe(true);
  });

  it('closes a connection that never sends a request', async () => {
    const port = await web({ 'headers-timeout': 0.2 });
    const silent = await open(port);
    expect(await untilClosed(silent)).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes an idle keep-alive connection at the keep-alive timeout', async () => {
    const port = await web({ 'keep-alive-timeout': 0.2 });
    const s = await open(port);
    const closed = untilClosed(s);
    s.write('GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n');
    const text = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain('inside');
    const event = events.find((e) => e.why === 'idle keep-alive connection');
    expect(event?.peer).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describe('web: bad requests', () => {
  it('answers other methods 405 with Allow: GET, HEAD', async () => {
    const port = await web();
    const text = await raw(port, 'POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
    expect(statusOf(text)).toBe(405);
    expect(text).toMatch(/\r\nAllow: GET, HEAD\r\n/i);
  });

  it('answers an oversized URL 414 and oversized headers 431', async () => {
    const port = await web();
    expect(statusOf(await raw(port, `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`))).toBe(
      414,
    );
    expect(statusOf(await raw(port, `GET /${'a'.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`))).toBe(
      414,
    );
    const big = `GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20000)}\r\n\r\n`;
    expect(statusOf(await raw(port, big))).toBe(431);
  });

  it('answers an unparseable request 400 and a target that is not a path 400', async () => {
    const port = await web();
    expect(statusOf(await raw(port, 'GARBAGE\r\n\r\n'))).toBe(400);
    expect(statusOf(await raw(port, 'GET a.txt HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe(400);
    expect(statusOf(await raw(port, 'GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe(400);
    expect(statusOf(await raw(port, 'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe(200);
  });
});

describe('web: files', () => {
  it('refuses a symlink whose target is outside the root with 403, serves one inside', async () => {
    const port = await web();
    const escaped = await raw(port, 'GET /escape.txt HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(statusOf(escaped)).toBe(403);
    expect(escaped).not.toContain('do not serve');
    expect(statusOf(await raw(port, 'GET /alias.txt HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe(200);
  });

  it('logs each request at info with method, path, status, bytes, duration and peer', async () => {
    const port = await web();
    const logged = nextLogged((e) => e.status === 200);
    await raw(port, 'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n');
    const access = await logged;
    expect(access.log_level).toBe('info');
    expect(access).toMatchObject({ method: 'GET', path: '/a.txt', status: 200, bytes: 6 });
    expect(access.peer).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(access.duration).toBeGreaterThanOrEqual(0);
  });

  it('lists a directory without index.html only with --listing, escaping names', async () => {
    expect(statusOf(await raw(await web(), 'GET /plain/ HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe(404);
    const port = await web({ listing: true });
    const s = await open(port);
    s.write('GET /plain/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const text = await untilClosed(s);
    expect(statusOf(text)).toBe(200);
    expect(text).toContain('text/html');
    expect(text).toContain('&lt;b&gt;&amp;.txt');
    expect(text).not.toContain('<b>&');
  });
});
