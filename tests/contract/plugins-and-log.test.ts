import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EndpointPlugin,
  FilteringLogObserver,
  Failure,
  formatEvent,
  getPlugins,
  globalLogPublisher,
  jsonFileLogObserver,
  type LogEvent,
  Logger,
  LogLevelFilterPredicate,
  MemoryReactor,
  Protocol,
  registerPlugin,
  serverFromString,
} from '../../lib/index.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function capture(): { events: LogEvent[]; stop: () => void } {
  const events: LogEvent[] = [];
  const observer = (event: LogEvent): void => {
    events.push(event);
  };
  globalLogPublisher.addObserver(observer);
  return { events, stop: () => globalLogPublisher.removeObserver(observer) };
}

describe('plugins', () => {
  it('getPlugins("service") includes the built-in services', async () => {
    const names = (await getPlugins('service')).map((p) => p.name);
    for (const name of ['echo', 'discard', 'chargen', 'daytime', 'time', 'portforward', 'web']) {
      expect(names).toContain(name);
    }
  });

  it('an endpoint plugin added with registerPlugin extends serverFromString', async () => {
    const seen: unknown[] = [];
    const plugin: EndpointPlugin = {
      kind: 'endpoint',
      prefix: 'contractprobe',
      server(reactor, args, kwargs) {
        seen.push(args, kwargs);
        return serverFromString(reactor, `tcp:${args[0]}`);
      },
      client() {
        throw new Error('unused');
      },
    };
    registerPlugin(plugin);
    expect((await getPlugins('endpoint')).map((p) => (p as EndpointPlugin).prefix)).toContain(
      'contractprobe',
    );
    const reactor = new MemoryReactor();
    await serverFromString(reactor, 'contractprobe:9000:flag=yes').listen(Protocol);
    expect(seen).toEqual([['9000'], { flag: 'yes' }]);
    expect(reactor.tcpServers[0][0]).toBe(9000);
  });

  it('a plugin file that fails to import is reported through the logger and skipped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'woven-contract-'));
    dirs.push(dir);
    const good = join(dir, 'good.mjs');
    const bad = join(dir, 'bad.mjs');
    await writeFile(
      good,
      "export const probe = { kind: 'service', name: 'contract-good', description: 'd', options: {}, makeService() {} };\n",
    );
    await writeFile(bad, "throw new Error('broken plugin');\n");
    const log = capture();
    try {
      const names = (await getPlugins('service', { cwd: dir, paths: [bad, good] })).map(
        (p) => p.name,
      );
      expect(names).toContain('contract-good');
    } finally {
      log.stop();
    }
    const report = log.events.map((e) => JSON.stringify(e) + formatEvent(e)).join('\n');
    expect(report).toContain('bad.mjs');
    expect(report).toContain('broken plugin');
  });
});

describe('logging', () => {
  it('an event carries the fields plus log_namespace, log_level, log_format and log_time in seconds', () => {
    const log = capture();
    try {
      new Logger('contract.probe').info('hello {who}', { who: 'world' });
    } finally {
      log.stop();
    }
    const event = log.events.find((e) => e.log_namespace === 'contract.probe');
    expect(event).toMatchObject({
      who: 'world',
      log_level: 'info',
      log_format: 'hello {who}',
    });
    expect(Math.abs((event?.log_time as number) - Date.now() / 1000)).toBeLessThan(60);
    expect(formatEvent(event as LogEvent)).toBe('hello world');
  });

  it('failure() attaches log_failure as a Failure', () => {
    const log = capture();
    try {
      new Logger('contract.failure').failure('oops', new Error('bad'));
    } finally {
      log.stop();
    }
    const event = log.events.find((e) => e.log_namespace === 'contract.failure');
    expect(event?.log_failure).toBeInstanceOf(Failure);
    expect(event?.log_level).toBe('critical');
  });

  it('emit(level, ...) uses the given level', () => {
    const log = capture();
    try {
      new Logger('contract.emit').emit('warn', 'careful');
    } finally {
      log.stop();
    }
    expect(log.events.find((e) => e.log_namespace === 'contract.emit')?.log_level).toBe('warn');
  });

  it('formatEvent substitutes dotted fields', () => {
    expect(
      formatEvent({
        log_format: '{a.b} at {n}',
        a: { b: 'x' },
        n: 3,
      } as unknown as LogEvent),
    ).toBe('x at 3');
  });

  it('LogLevelFilterPredicate levels cover dot-separated child namespaces', () => {
    const seen: string[] = [];
    const predicate = new LogLevelFilterPredicate('warn');
    predicate.setLogLevelForNamespace('app.net', 'debug');
    const observer = new FilteringLogObserver(
      (e: LogEvent) => {
        seen.push(`${e.log_namespace}:${e.log_level}`);
      },
      [predicate],
    );
    const emit = (ns: string, level: string): void =>
      observer.observer({
        log_namespace: ns,
        log_level: level,
        log_format: '',
        log_time: 0,
      } as LogEvent);
    emit('app.net.tcp', 'debug');
    emit('app.network', 'info');
    emit('other', 'info');
    emit('other', 'error');
    expect(seen).toEqual(['app.net.tcp:debug', 'other:error']);
  });

  // As Twisted's, a FilteringLogObserver is itself an observer (callable), so
  // `addObserver(new FilteringLogObserver(...))` works.
  it('a FilteringLogObserver is itself an observer that addObserver accepts', () => {
    const seen: string[] = [];
    const filter = new FilteringLogObserver(
      (e: LogEvent) => {
        seen.push(e.log_namespace as string);
      },
      [new LogLevelFilterPredicate('info')],
    );
    const asObserver: (e: LogEvent) => void = filter;
    globalLogPublisher.addObserver(asObserver);
    try {
      new Logger('contract.filtered').info('kept');
    } finally {
      globalLogPublisher.removeObserver(asObserver);
    }
    expect(seen).toContain('contract.filtered');
  });

  it('jsonFileLogObserver writes one JSON object per line', () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    const observer = jsonFileLogObserver(stream);
    observer({
      log_namespace: 'x',
      log_level: 'info',
      log_format: 'a {b}',
      log_time: 1,
      b: 2,
    } as LogEvent);
    const text = chunks.join('');
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text.trim())).toMatchObject({ log_namespace: 'x', b: 2 });
  });
});
