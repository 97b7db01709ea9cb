import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  getPlugins,
  type IService,
  type ServicePlugin,
  type StreamServerEndpointService,
} from '../../lib/index.js';
import { connectTo, readUntil, destroyClients } from '../runner/woven-process.js';
import { httpGet } from './http-get.js';

const LOCAL = 'tcp:0:interface=127.0.0.1';
let builtins: Map<string, ServicePlugin>;
const services: IService[] = [];

beforeAll(async () => {
  builtins = new Map((await getPlugins('service')).map((p) => [p.name, p]));
});
afterEach(async () => {
  destroyClients();
  for (const s of services.splice(0)) await s.stopService();
});

/** Start a built-in with options; returns the port it listens on. */
async function start(name: string, options: Record<string, unknown>): Promise<number> {
  const plugin = builtins.get(name);
  if (!plugin) throw new Error(`no built-in ${name}`);
  const service = (await plugin.makeService({
    port: LOCAL,
    ...options,
  })) as StreamServerEndpointService;
  services.push(service);
  await service.startService();
  const host = service.port?.getHost() as { port: number } | undefined;
  if (!host) throw new Error(`${name} is not listening`);
  return host.port;
}

describe('built-in services', () => {
  it('echo sends every byte back', async () => {
    const s = await connectTo(await start('echo', {}));
    const bytes = Buffer.from([112, 105, 110, 103, 0, 255, 13, 10]);
    s.write(bytes);
    expect((await readUntil(s, (b) => b.length >= bytes.length)).equals(bytes)).toBe(true);
  });

  it('discard reads everything and answers nothing, closing after the client does', async () => {
    const s = await connectTo(await start('discard', {}));
    s.end('x'.repeat(100_000));
    expect((await readUntil(s, () => false)).length).toBe(0);
  });

  it('chargen sends 72-character lines rotating through the printable characters', async () => {
    const s = await connectTo(await start('chargen', {}));
    const received = await readUntil(s, (b) => b.length >= 74 * 3);
    const lines = received.toString('latin1').split('\r\n');
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    expect(lines[0]).toBe(printable.slice(0, 72));
    expect(lines[1]).toBe(printable.slice(1, 73));
    expect(lines[2]).toBe(printable.slice(2, 74));
  });

  it('daytime sends the date and time as a line, then closes', async () => {
    const s = await connectTo(await start('daytime', {}));
    const text = (await readUntil(s, () => false)).toString();
    expect(text.endsWith('\r\n')).toBe(true);
    expect(Math.abs(Date.parse(text.trim()) - Date.now())).toBeLessThan(5_000);
  });

  it('time sends 32-bit big-endian seconds since 1900, then closes', async () => {
    const s = await connectTo(await start('time', {}));
    const bytes = await readUntil(s, () => false);
    expect(bytes.length).toBe(4);
    const since1900 = bytes.readUInt32BE(0);
    expect(Math.abs(since1900 - 2_208_988_800 - Date.now() / 1000)).toBeLessThan(5);
  });

  it('portforward relays both ways, with backpressure, to --host and --dest-port', async () => {
    const target = await start('echo', {});
    const s = await connectTo(
      await start('portforward', { host: '127.0.0.1', 'dest-port': target }),
    );
    const payload = Buffer.alloc(4 * 1024 * 1024, 7);
    s.write(payload);
    const back = await readUntil(s, (b) => b.length >= payload.length, 15_000);
    expect(back.equals(payload)).toBe(true);
  });

  it('portforward passes the half-close on', async () => {
    const target = await start('daytime', {});
    const s = await connectTo(
      await start('portforward', { host: '127.0.0.1', 'dest-port': target }),
    );
    const text = (await readUntil(s, () => false)).toString();
    expect(text).toMatch(/\r\n$/);
  });
});

describe('the web built-in', () => {
  let root: string;
  let port: number;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'woven-web-'));
    mkdirSync(join(root, 'site', 'sub'), { recursive: true });
    writeFileSync(join(root, 'site', 'a.txt'), 'hello, static world');
    writeFileSync(join(root, 'site', 'data.json'), '{"ok":true}');
    writeFileSync(join(root, 'site', 'sub', 'index.html'), '<p>sub</p>');
    writeFileSync(join(root, 'secret.txt'), 'do not serve');
    return () => rmSync(root, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    httpGet(port, path, { headers });

  it('serves files with their content types', async () => {
    port = await start('web', { path: join(root, 'site') });
    const txt = await get('/a.txt');
    expect(txt.status).toBe(200);
    expect(txt.body).toBe('hello, static world');
    expect(txt.headers['content-type']).toMatch(/^text\/plain/);
    expect((await get('/data.json')).headers['content-type']).toMatch(/^application\/json/);
    expect((await get('/sub/')).body).toBe('<p>sub</p>');
    const redirect = await get('/sub');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/sub/');
    expect((await get('/nope.txt')).status).toBe(404);
  });

  it('answers ranges and conditional GETs', async () => {
    port = await start('web', { path: join(root, 'site') });
    const part = await get('/a.txt', { Range: 'bytes=0-4' });
    expect(part.status).toBe(206);
    expect(part.body).toBe('hello');
    expect(part.headers['content-range']).toBe('bytes 0-4/19');
    const { headers } = await get('/a.txt');
    const again = await get('/a.txt', { 'If-None-Match': String(headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('closes idle keep-alive connections when stopped', async () => {
    port = await start('web', { path: join(root, 'site') });
    const s = await connectTo(port);
    s.write('GET /a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const response = await readUntil(s, (b) => b.toString().endsWith('hello, static world'));
    expect(response.toString()).toMatch(/keep-alive/i);
    const closed = new Promise((resolve) => s.once('close', resolve));
    await services.pop()?.stopService();
    await closed;
  });

  it('never serves files outside the directory', async () => {
    port = await start('web', { path: join(root, 'site') });
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/sub/..%2f..%2fsecret.txt']) {
      const res = await get(path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('do not serve');
    }
  });
});
