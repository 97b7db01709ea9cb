import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance } from '../../lib/runner/option-hint.js';
import { formatOptionsHelp, parseOptions, splitAtCommand } from '../../lib/runner/options.js';
import { UsageError } from '../../lib/index.js';

const spec = {
  port: { type: 'string', default: 'tcp:8000', description: 'where to listen', short: 'p' },
  count: { type: 'number', description: 'how many' },
  verbose: { type: 'boolean' },
  color: { type: 'boolean', default: true },
  tag: { type: 'string[]' },
} as const;

function values(argv: string[]) {
  const r = parseOptions(spec, argv);
  if (r.help) throw new Error('unexpected help');
  return r.values;
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('ERR_USAGE');
    return (error as Error).message;
  }
  throw new Error('no UsageError thrown');
}

describe('parseOptions', () => {
  it('applies defaults for absent flags', () => {
    expect(values([])).toEqual({
      port: 'tcp:8000',
      count: undefined,
      verbose: false,
      color: true,
      tag: [],
    });
  });

  it('parses each type, short aliases and repeated string[] flags', () => {
    expect(
      values(['-p', 'tcp:0', '--count=3', '--verbose', '--no-color', '--tag', 'a', '--tag', 'b']),
    ).toEqual({ port: 'tcp:0', count: 3, verbose: true, color: false, tag: ['a', 'b'] });
  });

  it('rejects a bad number naming the flag', () => {
    expect(usageMessage(() => values(['--count', 'many']))).toContain('--count');
    expect(usageMessage(() => values(['--count', '']))).toContain('--count');
  });

  it('rejects an unknown flag with a one-line reason', () => {
    const message = usageMessage(() => values(['--nope']));
    expect(message).toContain('--nope');
    expect(message).not.toContain('\n');
  });

  it('rejects a missing value', () => {
    expect(usageMessage(() => values(['--port']))).toContain('--port');
  });

  it('reports --help and -h as a help request', () => {
    expect(parseOptions(spec, ['--help'])).toEqual({ help: true });
    expect(parseOptions(spec, ['-h'])).toEqual({ help: true });
  });

  it('accepts every finite number as written', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(values(['--count', String(n)]).count).toBe(Number(String(n)));
      }),
    );
  });
});

describe('splitAtCommand', () => {
  it('splits runner flags, the service name and its arguments', () => {
    expect(splitAtCommand(spec, ['--port', 'x', '--verbose', 'echo', '--port', 'y'])).toEqual({
      before: ['--port', 'x', '--verbose'],
      command: 'echo',
      after: ['--port', 'y'],
    });
  });

  it('knows that flags with = and boolean flags take no next argument', () => {
    expect(splitAtCommand(spec, ['--port=x', '-p', 'y', 'svc'])).toMatchObject({ command: 'svc' });
    expect(splitAtCommand(spec, ['--verbose'])).toEqual({
      before: ['--verbose'],
      command: undefined,
      after: [],
    });
  });
});

describe('formatOptionsHelp', () => {
  it('lists every flag with its description and default', () => {
    const help = formatOptionsHelp(spec);
    expect(help).toMatch(/-p, --port <string>\s+where to listen \(default: tcp:8000\)/);
    expect(help).toContain('--count <number>');
    expect(help).toContain('--tag <string> ...');
    expect(help).toContain('--help');
  });
});

describe('unknown options name the closest known one', () => {
  const forward = {
    port: { type: 'string' },
    host: { type: 'string' },
    'dest-port': { type: 'number' },
    logfile: { type: 'string' },
  } as const;

  it.each([
    [['--dest_port', '80'], /Unknown option '--dest_port'; did you mean --dest-port\?$/],
    [['--dest_port=80'], /did you mean --dest-port\?$/],
    [['--listen', 'tcp:80'], /Unknown option '--listen'; did you mean --port\?$/],
    [['-n'], /Unknown option '-n'; woven always runs in the foreground/],
    [['--nodaemon'], /woven always runs in the foreground/],
    [['-l', 'x.log'], /did you mean --logfile\?$/],
    [['--prot', 'tcp:80'], /did you mean --port\?$/],
    [['--hots', 'a'], /did you mean --host\?$/],
    [['--hlep'], /did you mean --help\?$/],
  ])('%j', (argv, hint) => {
    expect(usageMessage(() => parseOptions(forward, argv))).toMatch(hint);
  });

  it('gives no hint when nothing is close', () => {
    expect(usageMessage(() => parseOptions(forward, ['--zzzzzz']))).toBe(
      "Unknown option '--zzzzzz'",
    );
    expect(usageMessage(() => parseOptions({ verbose: { type: 'boolean' } }, ['--listen']))).toBe(
      "Unknown option '--listen'",
    );
  });

  it('editDistance counts insertions, deletions and substitutions', () => {
    expect(editDistance('dest_port', 'dest-port')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d === 0).toBe(a === b);
      }),
    );
  });
});
