// --logfile failures: a file that cannot be opened fails the start with one
// line; a write that fails later (disk full) is reported once and survived.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killAll, readUntil, runWoven, WovenProcess } from './woven-process.js';

let dir: string;
const sockets: Socket[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'woven-logfile-'));
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** Send `text` to the Unix socket at `path` and resolve with what comes back. */
async function echoOver(path: string, text: string): Promise<string> {
  const socket = connect(path);
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve).once('error', reject);
  });
  socket.write(text);
  const got = await readUntil(socket, (b) => b.length >= text.length);
  socket.destroy();
  return got.toString();
}

describe('--logfile', () => {
  it('in a missing directory: exit 1 and one line naming the file and the cause, no stack', async () => {
    const logfile = join(dir, 'no-such-dir', 'woven.log');
    const { code, stderr, stdout } = await runWoven([
      '--logfile',
      logfile,
      'echo',
      '--port',
      'tcp:0:interface=127.0.0.1',
    ]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^woven: cannot open the log file: ENOENT.*no-such-dir\/woven\.log/),
    ]);
    expect(stdout).toBe('');
  });

  it.skipIf(process.platform !== 'linux')(
    'that fails to write (/dev/full): reported once on stderr, and the service keeps serving',
    async () => {
      const socketPath = join(dir, 'echo.sock');
      const woven = new WovenProcess([
        '--logfile',
        '/dev/full',
        'echo',
        '--port',
        `unix:${socketPath}`,
      ]);
      await woven.waitForLine(/cannot write the log to \/dev\/full/);
      for (let i = 0; i < 3; i++)
        expect(await echoOver(socketPath, `hello ${i}`)).toBe(`hello ${i}`);
      woven.signal('SIGTERM');
      expect(await woven.exitCode()).toBe(0);
      expect(woven.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^woven: cannot write the log to \/dev\/full \(ENOSPC/),
      ]);
    },
  );
});
