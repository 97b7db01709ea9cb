// `woven <service> --port stdio:` through the real CLI: the protocol runs over
// the process's stdin and stdout (inetd style), the log goes to stderr.
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, WovenProcess } from './woven-process.js';

afterEach(killAll);

function stdio(args: string[]): WovenProcess {
  return new WovenProcess(['--log-format', 'json', ...args], { stdin: 'pipe' });
}

describe('stdio: endpoint', () => {
  it('echoes stdin to stdout and exits 0 once stdin ends, logging to stderr', async () => {
    const woven = stdio(['echo', '--port', 'stdio:']);
    const input = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`).join('');
    woven.child.stdin?.write(input.slice(0, 1000));
    woven.child.stdin?.end(input.slice(1000));
    expect(await woven.exitCode()).toBe(0);
    expect(woven.stdout).toBe(input);
    expect(woven.stderr).toMatch(/"log_format":"listening on \{address\}"/);
    expect(woven.stderr).toMatch(/"log_text":"stopped"/);
  });

  it('stops gracefully on SIGTERM while stdin is still open', async () => {
    const woven = stdio(['echo', '--port', 'stdio:']);
    woven.child.stdin?.write('before the signal');
    await new Promise<void>((resolve) => woven.child.stdout?.once('data', () => resolve()));
    woven.signal('SIGTERM');
    expect(await woven.exitCode()).toBe(0);
    expect(woven.stdout).toBe('before the signal');
    woven.child.stdin?.destroy();
  });

  it('serves daytime to a peer that sends nothing', async () => {
    const woven = stdio(['daytime', '--port', 'stdio:']);
    expect(await woven.exitCode()).toBe(0);
    expect(woven.stdout).toMatch(/\d{4}|\d{2}:\d{2}/);
    woven.child.stdin?.destroy();
  });
});
