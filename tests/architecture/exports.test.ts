import { describe, expect, it } from 'vitest';
import * as woven from '../../lib/index.js';
import * as testing from '../../lib/testing/index.js';

type Kind = 'class' | 'function' | 'instance';

function kindOf(value: unknown): Kind | 'missing' | 'other' {
  if (value === undefined) return 'missing';
  if (typeof value === 'function') {
    return /^class\b/.test(Function.prototype.toString.call(value)) ? 'class' : 'function';
  }
  return typeof value === 'object' && value !== null ? 'instance' : 'other';
}

const exported = woven as unknown as Record<string, unknown>;

/** Every non-error public name DESIGN.md writes in `code`, with its kind. */
const names: Record<string, Kind> = {
  // 1. Deferred
  Deferred: 'class',
  Failure: 'class',
  succeed: 'function',
  fail: 'function',
  maybeDeferred: 'function',
  ensureDeferred: 'function',
  gatherResults: 'function',
  DeferredList: 'class',
  race: 'function',
  DeferredLock: 'class',
  DeferredSemaphore: 'class',
  DeferredQueue: 'class',
  // 2. Time
  DelayedCall: 'class',
  Clock: 'class',
  Reactor: 'class',
  reactor: 'instance',
  LoopingCall: 'class',
  deferLater: 'function',
  cooperate: 'function',
  Cooperator: 'class',
  react: 'function',
  // 3. Protocols
  Protocol: 'class',
  Factory: 'class',
  ClientFactory: 'class',
  ReconnectingClientFactory: 'class',
  DatagramProtocol: 'class',
  ByteReader: 'class',
  lines: 'function',
  netstrings: 'function',
  lengthPrefixed: 'function',
  encodeNetstring: 'function',
  encodeLengthPrefixed: 'function',
  LineReceiver: 'class',
  LineOnlyReceiver: 'class',
  NetstringReceiver: 'class',
  Int8StringReceiver: 'class',
  Int16StringReceiver: 'class',
  Int32StringReceiver: 'class',
  // 4. Transports and endpoints
  Connector: 'class',
  ListeningPort: 'class',
  serverFromString: 'function',
  clientFromString: 'function',
  listen: 'function',
  connect: 'function',
  connectProtocol: 'function',
  // 5. Plugins, services
  getPlugins: 'function',
  registerPlugin: 'function',
  Service: 'class',
  MultiService: 'class',
  StreamServerEndpointService: 'class',
  TimerService: 'class',
  ClientService: 'class',
  // 6. Logging, threads, testing
  Logger: 'class',
  formatEvent: 'function',
  globalLogPublisher: 'instance',
  textFileLogObserver: 'function',
  jsonFileLogObserver: 'function',
  FilteringLogObserver: 'class',
  LogLevelFilterPredicate: 'class',
  StringTransport: 'class',
  MemoryReactor: 'class',
  connectionPair: 'function',
  loopback: 'function',
};

/** Section 6 names with no implementation yet (reported to the lead). */

const errorNames = [
  'AlreadyCalledError',
  'CancelledError',
  'TimeoutError',
  'FirstError',
  'FailureGroup',
  'QueueOverflow',
  'QueueUnderflow',
  'AlreadyCancelled',
  'AlreadyCalled',
  'ReactorNotRunning',
  'ReactorAlreadyRunning',
  'TaskDone',
  'TaskStopped',
  'TaskFailed',
  'NotPaused',
  'SchedulerStopped',
  'ConnectError',
  'ConnectionRefusedError',
  'ConnectTimeoutError',
  'DNSLookupError',
  'TLSError',
  'ConnectionDone',
  'ConnectionLost',
  'ConnectionClosedError',
  'FrameTooLong',
  'FramingError',
  'UnexpectedEOF',
];

const testingNames: Record<string, Kind> = {
  Clock: 'class',
  StringTransport: 'class',
  MemoryReactor: 'class',
  connectionPair: 'function',
  loopback: 'function',
};

describe('the package root exports every name of the contract', () => {
  for (const [name, kind] of Object.entries(names)) {
    it(`exports ${name} as a ${kind}`, () => {
      expect(kindOf(exported[name])).toBe(kind);
    });
  }

  it('exports the threads API (section 6)', () => {
    expect(kindOf(exported.deferToThread)).toBe('function');
    expect(kindOf(exported.ThreadPool)).toBe('class');
  });

  it('exports the default reactor as an instance of Reactor', () => {
    expect(woven.reactor).toBeInstanceOf(woven.Reactor);
  });
});

describe('every contract error is an Error subclass with a stable name and code', () => {
  for (const name of errorNames) {
    it(`${name} is an Error named ${name} with a string code`, () => {
      const ErrorClass = exported[name] as new (...args: unknown[]) => Error & { code: unknown };
      expect(kindOf(ErrorClass)).toBe('class');
      expect(ErrorClass.prototype).toBeInstanceOf(Error);
      expect(ErrorClass.prototype.name).toBe(name);
      expect(ErrorClass.name).toBe(name);
      expect(typeof ErrorClass.prototype.code).toBe('string');
    });
  }

  it('every exported Error subclass has name equal to its class name and a string code', () => {
    const bad: string[] = [];
    for (const [name, value] of Object.entries(exported)) {
      if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
      const proto = value.prototype as unknown as { name: unknown; code: unknown };
      if (proto.name !== name || typeof proto.code !== 'string') bad.push(name);
    }
    expect(bad).toEqual([]);
  });

  it('every exported Error subclass is a WovenError with an ERR_ code of its own', () => {
    const owners = new Map<string, string[]>();
    const bad: string[] = [];
    for (const [name, value] of Object.entries(exported)) {
      if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
      const code = (value.prototype as { code?: unknown }).code;
      const isWoven = value === woven.WovenError || value.prototype instanceof woven.WovenError;
      // AbortError keeps Node's own code, ABORT_ERR, as Node's APIs reject with it.
      const pattern = name === 'AbortError' ? /^ABORT_ERR$/ : /^ERR_[A-Z0-9_]+$/;
      if (!isWoven || !pattern.test(String(code))) bad.push(name);
      owners.set(String(code), [...(owners.get(String(code)) ?? []), name]);
    }
    expect(bad).toEqual([]);
    const shared = [...owners].filter(([, names]) => names.length > 1);
    expect(shared.map(([code, names]) => `${code}: ${names.join(', ')}`)).toEqual([]);
  });

  it('ConnectionRefusedError, ConnectTimeoutError and DNSLookupError are ConnectErrors', () => {
    for (const sub of [
      woven.ConnectionRefusedError,
      woven.ConnectTimeoutError,
      woven.DNSLookupError,
    ]) {
      expect(sub.prototype).toBeInstanceOf(woven.ConnectError);
    }
  });
});

describe('woven/testing exports the testing helpers', () => {
  const testingExports = testing as unknown as Record<string, unknown>;
  for (const [name, kind] of Object.entries(testingNames)) {
    it(`exports ${name} as the root's ${kind}`, () => {
      expect(kindOf(testingExports[name])).toBe(kind);
      expect(testingExports[name]).toBe(exported[name]);
    });
  }

  it('is wired in package.json as "./testing" → dist/testing/index.js', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.exports['./testing'].default).toBe('./dist/testing/index.js');
  });
});
