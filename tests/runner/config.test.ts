// Option values from flags, the environment (WOVEN_<OPTION>) and a --config JSON file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../lib/index.js';
import {
  checkConfigKeys,
  environmentName,
  readConfigFile,
  resolveOptions,
} from '../../lib/runner/config.js';
import { parseOptions } from '../../lib/runner/options.js';
import { connectTo, killAll, readUntil, runWoven, WovenProcess } from './woven-process.js';

const spec = {
  'log-level': { type: 'string', default: 'info' },
  workers: { type: 'number', default: 1 },
  verbose: { type: 'boolean' },
  plugin: { type: 'string[]' },
  port: { type: 'string', default: 'tcp:8000' },
} as const;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'woven-config-'));
});
afterEach(async () => {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

function resolve(argv: string[], env: Record<string, string>, file?: Record<string, unknown>) {
  const parsed = parseOptions(spec, argv);
  if (parsed.help) throw new Error('unexpected help');
  const layers = {
    env,
    file: file === undefined ? undefined : { path: 'woven.json', values: file },
  };
  return resolveOptions(spec, parsed, layers);
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('no UsageError thrown');
}

describe('environmentName', () => {
  it('is WOVEN_ and the option name in upper snake case', () => {
    expect(environmentName('log-level')).toBe('WOVEN_LOG_LEVEL');
    expect(environmentName('port')).toBe('WOVEN_PORT');
    expect(environmentName('dest-port')).toBe('WOVEN_DEST_PORT');
    expect(environmentName('shutdown-timeout')).toBe('WOVEN_SHUTDOWN_TIMEOUT');
  });

  it('gives a valid shell variable name for any option name', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), (key) => {
        expect(environmentName(key)).toMatch(/^WOVEN_[A-Z0-9_]+$/);
      }),
    );
  });
});

describe('resolveOptions', () => {
  it('takes a flag over the environment over the file over the default', () => {
    const file = { 'log-level': 'error', workers: 3, port: 'tcp:1' };
    const env = { WOVEN_LOG_LEVEL: 'warn', WOVEN_WORKERS: '2' };
    const r = resolve(['--log-level', 'debug'], env, file);
    expect(r.values).toMatchObject({ 'log-level': 'debug', workers: 2, port: 'tcp:1' });
    expect(r.sources).toEqual({
      'log-level': { from: 'flag' },
      workers: { from: 'environment', variable: 'WOVEN_WORKERS' },
      verbose: { from: 'default' },
      plugin: { from: 'default' },
      port: { from: 'file', path: 'woven.json' },
    });
  });

  it('counts --no-<flag> as given on the command line', () => {
    const r = resolve(['--no-verbose'], { WOVEN_VERSION: 'x', WOVEN_VERBOSE: 'yes' });
    expect(r.values.verbose).toBe(false);
    expect(r.sources.verbose).toEqual({ from: 'flag' });
  });

  it('converts environment strings to the option type: numbers, booleans, comma lists', () => {
    const r = resolve([], {
      WOVEN_WORKERS: '4',
      WOVEN_VERBOSE: 'true',
      WOVEN_PLUGIN: 'a.js, b.js',
    });
    expect(r.values).toMatchObject({ workers: 4, verbose: true, plugin: ['a.js', 'b.js'] });
    expect(resolve([], { WOVEN_VERBOSE: '0' }).values.verbose).toBe(false);
  });

  it('ignores an empty variable', () => {
    expect(resolve([], { WOVEN_PORT: '' }).values.port).toBe('tcp:8000');
  });

  it('rejects a variable of the wrong type, naming it', () => {
    expect(usageMessage(() => resolve([], { WOVEN_WORKERS: 'two' }))).toMatch(
      /^WOVEN_WORKERS: .*"two"/,
    );
    expect(usageMessage(() => resolve([], { WOVEN_VERBOSE: 'maybe' }))).toMatch(/WOVEN_VERBOSE/);
  });

  it('rejects a file value of the wrong type, naming the key and the file', () => {
    expect(usageMessage(() => resolve([], {}, { workers: '2' }))).toMatch(
      /woven\.json: "workers": expected a number/,
    );
    expect(usageMessage(() => resolve([], {}, { plugin: [1] }))).toMatch(/"plugin"/);
    expect(resolve([], {}, { plugin: 'p.js' }).values.plugin).toEqual(['p.js']);
  });
});

describe('config files', () => {
  it('rejects an unknown key, naming it', () => {
    const file = { path: 'woven.json', values: { port: 'tcp:1', prot: 'tcp:2' } };
    expect(usageMessage(() => checkConfigKeys(file, [spec]))).toMatch(/unknown option "prot"/);
    expect(() => checkConfigKeys({ path: 'w.json', values: { port: 'x' } }, [spec])).not.toThrow();
  });

  it('rejects a file that is not a JSON object, or is missing', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[1, 2]');
    expect(usageMessage(() => readConfigFile(bad))).toMatch(/expected a JSON object/);
    writeFileSync(bad, '{ nope');
    expect(usageMessage(() => readConfigFile(bad))).toMatch(/not valid JSON/);
    expect(usageMessage(() => readConfigFile(join(dir, 'none.json')))).toMatch(/cannot read/);
  });
});

describe('the woven command', () => {
  it('listens where WOVEN_PORT says, with the log format from the config file', async () => {
    const config = join(dir, 'woven.json');
    writeFileSync(config, JSON.stringify({ 'log-format': 'json', port: 'tcp:1' }));
    const woven = new WovenProcess(['--config', config, 'echo'], {
      env: { ...process.env, WOVEN_PORT: 'tcp:0:interface=127.0.0.1' },
    });
    const port = await woven.listeningPort();
    const s = await connectTo(port);
    s.write('ping');
    expect((await readUntil(s, (b) => b.length >= 4)).toString()).toBe('ping');
    s.destroy();
    woven.signal('SIGTERM');
    expect(await woven.exitCode()).toBe(0);
  });

  it('takes the config file from WOVEN_CONFIG and reports unknown keys (exit 2)', async () => {
    const config = join(dir, 'woven.json');
    writeFileSync(config, JSON.stringify({ port: 'tcp:0', prot: 'tcp:1' }));
    const { code, stderr } = await runWoven(['echo'], {
      env: { ...process.env, WOVEN_CONFIG: config },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option "prot"/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints where each value came from with `woven <service> --help`', async () => {
    const config = join(dir, 'woven.json');
    writeFileSync(config, JSON.stringify({ workers: 2, 'log-level': 'error' }));
    const { code, stdout } = await runWoven(
      ['--config', config, '--shutdown-timeout', '3', 'portforward', '--dest-port', '9', '--help'],
      { env: { ...process.env, WOVEN_LOG_LEVEL: 'warn', WOVEN_HOST: '127.0.0.2' } },
    );
    expect(code).toBe(0);
    const row = (key: string) => stdout.split('\n').find((l) => l.startsWith(`  --${key} `));
    expect(row('shutdown-timeout')).toMatch(/\s3\s+from flag$/);
    expect(row('log-level')).toMatch(/\swarn\s+from environment WOVEN_LOG_LEVEL$/);
    expect(row('workers')).toMatch(/\s2\s+from config file .*woven\.json$/);
    expect(row('host')).toMatch(/\s127\.0\.0\.2\s+from environment WOVEN_HOST$/);
    expect(row('dest-port')).toMatch(/\s9\s+from flag$/);
    expect(row('port')).toMatch(/\stcp:8001\s+from default$/);
  });

  it('rejects a bad environment value with a one-line reason naming the variable', async () => {
    const { code, stderr } = await runWoven(['echo'], {
      env: { ...process.env, WOVEN_WORKERS: 'many' },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/WOVEN_WORKERS: expected a number, got "many"/);
  });
});
