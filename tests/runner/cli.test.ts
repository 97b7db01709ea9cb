import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectTo,
  killAll,
  readUntil,
  runWoven,
  heldConnection,
  WovenProcess,
  waitForFile,
  destroyClients,
} from './woven-process.js';

const LOCAL = 'tcp:0:interface=127.0.0.1';
let dir: string;
const servers: Server[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'woven-cli-'));
});
afterEach(async () => {
  destroyClients();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

async function startEcho(extra: string[] = []): Promise<{ woven: WovenProcess; port: number }> {
  const woven = new WovenProcess(['--log-format', 'json', ...extra, 'echo', '--port', LOCAL]);
  return { woven, port: await woven.listeningPort() };
}

async function echoes(port: number, text: string): Promise<boolean> {
  const s = await connectTo(port);
  s.write(text);
  const got = await readUntil(s, (b) => b.length >= text.length);
  s.destroy();
  return got.toString() === text;
}

describe('woven --help', () => {
  it('lists every built-in service with its description and exits 0', async () => {
    const { code, stdout } = await runWoven(['--help']);
    expect(code).toBe(0);
    for (const name of ['echo', 'discard', 'chargen', 'daytime', 'time', 'portforward', 'web']) {
      expect(stdout).toMatch(new RegExp(`^  ${name}\\s+\\S`, 'm'));
    }
    expect(stdout).toContain('Echo every byte back (RFC 862).');
  });

  it("lists a service's options with `woven <service> --help`", async () => {
    const { code, stdout } = await runWoven(['portforward', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--port <string>');
    expect(stdout).toContain('--dest-port <number>');
    expect(stdout).toContain('(default: tcp:8001)');
  });
});

describe('woven --version', () => {
  it('prints the package version', async () => {
    const { code, stdout } = await runWoven(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^woven \d+\.\d+\.\d+/);
  });
});

describe('bad usage', () => {
  const cases: [string, string[], RegExp][] = [
    ['no service', [], /no service/],
    ['an unknown service', ['nosuch'], /unknown service "nosuch"/],
    ['an unknown service flag', ['echo', '--bogus'], /--bogus/],
    ['a bad number', ['--shutdown-timeout', 'soon', 'echo'], /--shutdown-timeout/],
    ['a bad worker count', ['--workers', '0', 'echo'], /--workers/],
    ['a bad log level', ['--log-level', 'loud', 'echo'], /--log-level/],
    ['an unknown endpoint type', ['echo', '--port', 'nope:1'], /nope/],
    ['a malformed port', ['echo', '--port', 'tcp:http'], /http/],
    ['a missing required option', ['portforward'], /--dest-port/],
    ['twistd -n', ['-n', 'echo'], /'-n'; woven always runs in the foreground/],
    ['twistd --listen', ['web', '--listen', 'tcp:0'], /'--listen'; did you mean --port\?/],
    ['--dest_port', ['portforward', '--dest_port', '80'], /did you mean --dest-port\?/],
  ];
  it.each(cases)('exits 2 with a one-line reason for %s', async (_what, args, reason) => {
    const { code, stderr } = await runWoven(args);
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(reason);
  });
});

describe('running a service', () => {
  it('logs `listening on` with host and port, serves, and stops on SIGTERM with exit code 0', async () => {
    const { woven, port } = await startEcho();
    const listening = woven.events().find((e) => e.log_format === 'listening on {address}');
    expect(listening).toMatchObject({ host: '127.0.0.1', port, log_level: 'info' });
    expect(woven.stdout).toContain('"log_text":"listening on 127.0.0.1:');
    expect(await echoes(port, 'hello, woven')).toBe(true);
    woven.signal('SIGTERM');
    expect(await woven.exitCode()).toBe(0);
    expect(woven.events().map((e) => e.log_text)).toContain('stopped');
  });

  it('stops gracefully on SIGINT too', async () => {
    const { woven, port } = await startEcho();
    expect(await echoes(port, 'x')).toBe(true);
    woven.signal('SIGINT');
    expect(await woven.exitCode()).toBe(0);
  });

  it('closes the listening port first, then tells open connections, and exits 0 once they closed', async () => {
    const { woven, port } = await startEcho(['--shutdown-timeout', '30']);
    const inFlight = await connectTo(port);
    inFlight.write('before');
    await readUntil(inFlight, (b) => b.length >= 6);
    const closed = new Promise<void>((resolve) => inFlight.once('close', () => resolve()));
    woven.signal('SIGTERM');
    await woven.waitForLine(/"log_text":"stopped"/);
    await expect(connectTo(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await closed; // the stream protocol saw the stop and its iteration ended
    expect(await woven.exitCode(5_000)).toBe(0);
  });

  it('exits as soon as the last connection closes after a stop', async () => {
    const { woven, port } = await startEcho(['--shutdown-timeout', '30']);
    const inFlight = await connectTo(port);
    woven.signal('SIGTERM');
    await woven.waitForLine(/"log_text":"stopped"/);
    inFlight.end();
    expect(await woven.exitCode(5_000)).toBe(0);
  });

  it('aborts what is still open at --shutdown-timeout and exits 1', async () => {
    const { woven } = await heldConnection(['--shutdown-timeout', '0.5']);
    woven.signal('SIGTERM');
    expect(await woven.exitCode(10_000)).toBe(1);
    expect(woven.stdout).toMatch(/shutdown did not finish within 0\.5 s/);
  });

  it('exits at once, with code 1, on a second signal during a slow shutdown', async () => {
    const { woven } = await heldConnection(['--shutdown-timeout', '30']);
    woven.signal('SIGTERM');
    await woven.waitForLine(/closing 1 open connections/);
    woven.signal('SIGTERM');
    expect(await woven.exitCode(5_000)).toBe(1);
  });

  it('exits 1 naming the cause when the port is in use', async () => {
    const blocker = createServer();
    servers.push(blocker);
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as { port: number }).port;
    const { code, stderr } = await runWoven(['echo', '--port', `tcp:${taken}:interface=127.0.0.1`]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^woven: failed to start: .*(EADDRINUSE|in use)/im);
  });

  it('exits 1 naming the file when a certificate cannot be read', async () => {
    const missing = join(dir, 'missing.pem');
    const { code, stderr } = await runWoven([
      'echo',
      '--port',
      `ssl:0:privateKey=${missing}:certKey=${missing}`,
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('missing.pem');
  });

  it('exits 1 naming the directory when web --path does not exist', async () => {
    const missing = join(dir, 'no-such-dir');
    const { code, stderr } = await runWoven(['web', '--path', missing, '--port', LOCAL]);
    expect(code).toBe(1);
    expect(stderr).toContain('no-such-dir');
  });

  it('writes JSON or text logs to --logfile', async () => {
    const logfile = join(dir, 'woven.log');
    const woven = new WovenProcess(['--logfile', logfile, 'echo', '--port', LOCAL]);
    await waitForFile(logfile, (text) => text.includes('listening on'));
    woven.signal('SIGTERM');
    expect(await woven.exitCode()).toBe(0);
    expect(readFileSync(logfile, 'utf8')).toMatch(
      /\[woven\.app\.server#info\] listening on 127\.0\.0\.1:\d+/,
    );
    expect(woven.stderr).toBe('');
  });
});

describe('--pidfile', () => {
  it('holds the pid while running and removes the file on exit', async () => {
    const pidfile = join(dir, 'woven.pid');
    const { woven } = await startEcho(['--pidfile', pidfile]);
    expect(readFileSync(pidfile, 'utf8').split(/\s/)[0]).toBe(String(woven.child.pid));
    woven.signal('SIGTERM');
    expect(await woven.exitCode()).toBe(0);
    expect(existsSync(pidfile)).toBe(false);
  });

  it('refuses to start while a live process holds it', async () => {
    const pidfile = join(dir, 'woven.pid');
    const { woven } = await startEcho(['--pidfile', pidfile]);
    const second = await runWoven(['--pidfile', pidfile, 'echo', '--port', LOCAL]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(String(woven.child.pid));
    expect(existsSync(pidfile)).toBe(true);
  });

  it('removes the pidfile when the start fails', async () => {
    const pidfile = join(dir, 'woven.pid');
    const blocker = createServer();
    servers.push(blocker);
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as { port: number }).port;
    const { code } = await runWoven([
      '--pidfile',
      pidfile,
      'echo',
      '--port',
      `tcp:${taken}:interface=127.0.0.1`,
    ]);
    expect(code).toBe(1);
    expect(existsSync(pidfile)).toBe(false);
  });

  it('takes over a stale pidfile whose pid now belongs to another process', async () => {
    const pidfile = join(dir, 'woven.pid');
    writeFileSync(pidfile, `${process.pid}\n`); // a live pid, but not the process that wrote it:
    utimesSync(pidfile, 1, 1); // the file is older than that process
    const { woven } = await startEcho(['--pidfile', pidfile]);
    expect(readFileSync(pidfile, 'utf8')).toBe(`${woven.child.pid}\n`);
    woven.signal('SIGTERM');
    expect(await woven.exitCode()).toBe(0);
  });

  it('refuses to start on an existing file that holds no pid, naming it and leaving it alone', async () => {
    const pidfile = join(dir, 'notes.txt');
    writeFileSync(pidfile, 'my notes\n');
    const { code, stderr } = await runWoven(['--pidfile', pidfile, 'echo', '--port', LOCAL]);
    expect(code).toBe(1);
    expect(stderr).toContain(pidfile);
    expect(readFileSync(pidfile, 'utf8')).toBe('my notes\n');
  });
});
