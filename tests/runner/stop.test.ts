// The runner's stop when things go wrong: a start that never finishes, a stop
// that hangs, a second signal. Every line the runner writes, before and after
// the stop, goes where --log-format and --logfile say.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectTo,
  heldConnection,
  killAll,
  readUntil,
  STOP_PLUGINS,
  WovenProcess,
  waitForFile,
  destroyClients,
} from './woven-process.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'woven-stop-'));
});
afterEach(async () => {
  destroyClients();
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** `woven <runner args> hang <service args>`, once its start has begun. */
async function hanging(runnerArgs: string[], serviceArgs: string[] = []) {
  const woven = new WovenProcess(['--plugin', STOP_PLUGINS, ...runnerArgs, 'hang', ...serviceArgs]);
  await woven.waitForLine(/starting/);
  return woven;
}

const jsonOnly = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { log_text: string; log_level: string });

describe('a service whose start never finishes', () => {
  it('stops on SIGTERM with exit 1 and one line saying the start never finished', async () => {
    const woven = await hanging(['--shutdown-timeout', '0.5']);
    woven.signal('SIGTERM');
    expect(await woven.exitCode(5_000)).toBe(1);
    expect(woven.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^woven: .*start never finished/),
    ]);
  });

  it('stops within --shutdown-timeout when its stop hangs too', async () => {
    const woven = await hanging(
      ['--log-format', 'json', '--shutdown-timeout', '0.5'],
      ['--stop-hangs'],
    );
    woven.signal('SIGTERM');
    expect(await woven.exitCode(5_000)).toBe(1); // well before the default 10 s
    const texts = woven.events().map((e) => e.log_text);
    expect(texts).toContainEqual(expect.stringMatching(/shutdown did not finish within 0\.5 s/));
    expect(texts).toContainEqual(expect.stringMatching(/start never finished/));
  });

  it('exits even when the service leaves a timer running', async () => {
    const woven = await hanging(['--shutdown-timeout', '0.5'], ['--leave-timer']);
    woven.signal('SIGTERM');
    expect(await woven.exitCode(5_000)).toBe(1);
    expect(woven.stderr).toMatch(/^woven: .*start never finished/m);
    expect(woven.stderr).toMatch(/^woven: still running 1 s after the stop/m);
  });
});

describe('a stop that rejects', () => {
  it("still closes the port beside it and logs the failure (MultiService's stop goes on)", async () => {
    // Its connection ignores the stop: woven waits for it, with the port closed.
    const { woven, port, held } = await heldConnection(['--shutdown-timeout', '30'], 'failstop');
    woven.signal('SIGTERM');
    await woven.waitForLine(/the database said no/);
    await woven.waitForLine(/closing 1 open connections/);
    await expect(connectTo(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    held.destroy();
    expect(await woven.exitCode(5_000)).toBe(0); // every connection closed in time
  });

  it('closes the port of a child its parent left running when the parent’s own stop rejects', async () => {
    const plugin = join(import.meta.dirname, '..', 'fixtures', 'failing-parent-plugin.mjs');
    const woven = new WovenProcess([
      '--plugin',
      plugin,
      '--log-format',
      'json',
      '--shutdown-timeout',
      '30',
      'failparent',
    ]);
    const port = await woven.listeningPort();
    const held = await connectTo(port);
    await readUntil(held, (b) => b.toString() === 'held\n');
    woven.signal('SIGTERM');
    await woven.waitForLine(/flushing the queue failed/);
    await woven.waitForLine(/closing 1 open connections/);
    await expect(connectTo(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    held.destroy();
    expect(await woven.exitCode(5_000)).toBe(1); // the stop failed
  });
});

describe('lines written after the stop', () => {
  it('are JSON with --log-format json: the second signal and the timeout warning', async () => {
    const again = await hanging(
      ['--log-format', 'json', '--shutdown-timeout', '30'],
      ['--stop-hangs'],
    );
    again.signal('SIGTERM');
    await again.waitForLine(/shutting down/);
    again.signal('SIGTERM');
    expect(await again.exitCode(5_000)).toBe(1);
    expect(jsonOnly(again.stdout).map((e) => e.log_text)).toContainEqual(
      'received SIGTERM again: exiting now',
    );
    expect(again.stderr).not.toMatch(/^\d{4}-/m); // no text log line on stderr

    const late = await hanging(
      ['--log-format', 'json', '--shutdown-timeout', '0.2'],
      ['--stop-hangs'],
    );
    late.signal('SIGTERM');
    expect(await late.exitCode(5_000)).toBe(1);
    expect(jsonOnly(late.stdout)).toContainEqual(
      expect.objectContaining({
        log_level: 'warn',
        log_text: expect.stringMatching(/did not finish/),
      }),
    );
  });

  it('go to --logfile: the second signal and the timeout warning', async () => {
    const logfile = join(dir, 'woven.log');
    const again = new WovenProcess([
      '--plugin',
      STOP_PLUGINS,
      '--logfile',
      logfile,
      '--shutdown-timeout',
      '30',
      'hang',
      '--stop-hangs',
    ]);
    await waitForFile(logfile, (t) => /starting/.test(t));
    again.signal('SIGTERM');
    await waitForFile(logfile, (t) => /shutting down/.test(t));
    again.signal('SIGTERM');
    expect(await again.exitCode(5_000)).toBe(1);
    expect(readFileSync(logfile, 'utf8')).toMatch(/#warn\] received SIGTERM again: exiting now/);
    expect(again.stdout).toBe('');

    const lateLog = join(dir, 'late.log');
    const late = new WovenProcess([
      '--plugin',
      STOP_PLUGINS,
      '--logfile',
      lateLog,
      '--shutdown-timeout',
      '0.2',
      'hang',
      '--stop-hangs',
    ]);
    await waitForFile(lateLog, (t) => /starting/.test(t));
    late.signal('SIGTERM');
    expect(await late.exitCode(5_000)).toBe(1);
    expect(readFileSync(lateLog, 'utf8')).toMatch(/#warn\] shutdown did not finish within 0\.2 s/);
    expect(late.stdout).toBe('');
  });
});
