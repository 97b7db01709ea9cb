// systemd socket activation through the real CLI: a launcher binds real
// listening sockets, passes them as fd 3, 4, ... with LISTEN_FDS/LISTEN_PID/
// LISTEN_FDNAMES set (as systemd does), and execs `woven`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdoptedStreamServerEndpoint, AlreadyListened, reactor } from '../../lib/index.js';
import { killAll, readUntil, runWoven, WovenProcess, waitUntil } from './woven-process.js';

const LAUNCHER = join(import.meta.dirname, '..', 'fixtures', 'socket-activate.py');

/** Whether systemd's own test launcher is installed. */
function hasSystemdSocketActivate(): boolean {
  try {
    execFileSync('systemd-socket-activate', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
let dir: string;
const sockets: Socket[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'woven-systemd-'));
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** Start woven with the sockets `specs` (`name=tcp`, `name=unix:PATH`) activated. */
function activated(specs: string[], args: string[]): WovenProcess {
  return new WovenProcess(['--log-format', 'json', ...args], {
    launcher: ['python3', LAUNCHER, ...specs, '--'],
  });
}

/** The address the launcher bound for socket `name`. */
async function boundAddress(woven: WovenProcess, name: string): Promise<string> {
  const line = await woven.waitForLine(new RegExp(`^socket ${name} `));
  return line.split(' ')[2] as string;
}

async function echoes(target: { port: number; host: string } | { path: string }, text: string) {
  const s = connect(target as never);
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('error', reject);
  });
  s.write(text);
  const got = await readUntil(s, (b) => b.length >= text.length);
  s.destroy();
  return got.toString();
}

describe('systemd: endpoint', () => {
  it('serves on the socket passed as fd 3 (systemd:domain=INET:index=0)', async () => {
    const woven = activated(['web=tcp'], ['echo', '--port', 'systemd:domain=INET:index=0']);
    const address = await boundAddress(woven, 'web');
    const port = await woven.listeningPort();
    expect(`127.0.0.1:${port}`).toBe(address);
    expect(await echoes({ host: '127.0.0.1', port }, 'activated')).toBe('activated');
    woven.signal('SIGTERM');
    expect(await woven.exitCode()).toBe(0);
  });

  it('picks a socket by its LISTEN_FDNAMES name', async () => {
    const woven = activated(
      ['admin=tcp', 'web=tcp'],
      ['echo', '--port', 'systemd:domain=INET:name=web'],
    );
    const address = await boundAddress(woven, 'web');
    const port = await woven.listeningPort();
    expect(`127.0.0.1:${port}`).toBe(address);
    expect(await echoes({ host: '127.0.0.1', port }, 'by name')).toBe('by name');
  });

  it('serves an activated Unix socket', async () => {
    const path = join(dir, 'echo.sock');
    const woven = activated([`s=unix:${path}`], ['echo', '--port', 'systemd:domain=UNIX:index=0']);
    await woven.waitForLine(/listening on/);
    expect(await echoes({ path }, 'over unix')).toBe('over unix');
  });

  it('shares the activated socket between --workers, through the primary', async () => {
    const woven = activated(
      ['web=tcp'],
      ['--workers', '2', 'echo', '--port', 'systemd:domain=INET:index=0'],
    );
    const port = Number((await boundAddress(woven, 'web')).split(':')[1]);
    await woven.listeningPort();
    const first = woven.lines.findIndex((l) => l.includes('listening on'));
    await woven.waitForLine(/listening on/, 10_000, first + 1); // the second worker
    for (let i = 0; i < 6; i++) {
      expect(await echoes({ host: '127.0.0.1', port }, `hello ${i}`)).toBe(`hello ${i}`);
    }
    woven.signal('SIGTERM');
    expect(await woven.exitCode()).toBe(0);
  });

  it.skipIf(!hasSystemdSocketActivate())(
    "is started by systemd's own systemd-socket-activate, which passes the socket on the first connection",
    async () => {
      const path = join(dir, 'activated.sock');
      const woven = new WovenProcess(
        ['--log-format', 'json', 'echo', '--port', 'systemd:domain=UNIX:name=web'],
        { launcher: ['systemd-socket-activate', '-l', path, '--fdname=web'] },
      );
      await waitUntil(
        () => existsSync(path),
        () => `${path} to exist`,
      );
      expect(await echoes({ path }, 'first connection')).toBe('first connection');
      await woven.waitForLine(/listening on/);
      woven.signal('SIGTERM');
      expect(await woven.exitCode()).toBe(0);
    },
  );

  it('is bad usage (exit 2) without socket activation, saying why', async () => {
    const plain = await runWoven(['echo', '--port', 'systemd:domain=INET:index=0'], {
      env: { ...process.env, LISTEN_PID: undefined, LISTEN_FDS: undefined },
    });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/LISTEN_PID and LISTEN_FDS are not set/);
    const other = await runWoven(['echo', '--port', 'systemd:domain=INET:index=0'], {
      env: { ...process.env, LISTEN_PID: '1', LISTEN_FDS: '1' },
    });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/LISTEN_PID is 1, not this process/);
  });
});

describe('AdoptedStreamServerEndpoint', () => {
  it('fails with CannotListenError on a descriptor that is no socket, and listens only once', async () => {
    const endpoint = new AdoptedStreamServerEndpoint(reactor, 1_000_000, 'INET');
    await expect(endpoint.listen(async () => {})).rejects.toMatchObject({
      name: 'CannotListenError',
    });
    await expect(endpoint.listen(async () => {})).rejects.toBeInstanceOf(AlreadyListened);
  });
});
