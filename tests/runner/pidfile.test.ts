import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../lib/runner/pidfile.js';
import { AlreadyRunningError, PidFile, PidfileError } from '../../lib/index.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'woven-pid-'));
  path = join(dir, 'woven.pid');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('PidFile', () => {
  it('writes this process id and removes the file on release', () => {
    const pidfile = new PidFile(path);
    pidfile.acquire();
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`); // the pid alone
    expect(pidfile.read()?.pid).toBe(process.pid);
    pidfile.release();
    expect(pidfile.read()).toBeUndefined();
  });

  it('refuses to start when a live process holds the file', () => {
    new PidFile(path).acquire();
    const second = new PidFile(path);
    expect(() => second.acquire()).toThrow(AlreadyRunningError);
    second.release(); // not held: leaves the first one's file alone
    expect(new PidFile(path).read()?.pid).toBe(process.pid);
  });

  it('takes over a file left by a dead process', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid as number;
    await new Promise((resolve) => child.on('exit', resolve));
    writeFileSync(path, `${pid}\n`);
    const pidfile = new PidFile(path);
    pidfile.acquire();
    expect(pidfile.read()?.pid).toBe(process.pid);
    pidfile.release();
  });

  it.skipIf(processStartTime(process.pid) === undefined)(
    'takes over a file whose pid was reused by a process that started after the file was written',
    () => {
      writeFileSync(path, `${process.pid}\n`);
      const before = (processStartTime(process.pid) as number) - 3600;
      utimesSync(path, before, before); // written an hour before this process started
      const pidfile = new PidFile(path);
      pidfile.acquire();
      expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
      expect(statSync(path).mtimeMs / 1000).toBeGreaterThan(before + 60);
      pidfile.release();
    },
  );

  it('refuses a file that holds no pid, and leaves it alone', () => {
    writeFileSync(path, 'not a pid\n');
    const pidfile = new PidFile(path);
    expect(() => pidfile.acquire()).toThrow(PidfileError);
    expect(() => pidfile.acquire()).toThrow(path);
    expect(readFileSync(path, 'utf8')).toBe('not a pid\n');
  });
});
