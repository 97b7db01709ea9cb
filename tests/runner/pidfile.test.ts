import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../lib/runner/pidfile.js';
import { AlreadyRunningError, PidFile } from '../../lib/index.js';

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
    expect(readFileSync(path, 'utf8').split(' ')[0]).toBe(String(process.pid));
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
    'takes over a file whose pid was reused by another process (start time differs)',
    () => {
      writeFileSync(path, `${process.pid} 1\n`);
      const pidfile = new PidFile(path);
      pidfile.acquire();
      expect(pidfile.read()).toEqual({
        pid: process.pid,
        startTime: processStartTime(process.pid),
      });
      pidfile.release();
    },
  );

  it('takes over a file holding garbage', () => {
    writeFileSync(path, 'not a pid\n');
    const pidfile = new PidFile(path);
    pidfile.acquire();
    expect(pidfile.read()?.pid).toBe(process.pid);
    pidfile.release();
  });
});
