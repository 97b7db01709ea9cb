import { readFileSync } from 'node:fs';
import { formatEvent, globalLogPublisher, type LogObserver } from '../log/index.js';
import { discoverPlugins, type PluginCatalog, type ServicePlugin } from '../plugins/index.js';
import { LogFileError } from './log-file.js';
import { setupLogging } from './log-setup.js';
import { formatOptionsHelp, parseOptions, splitAtCommand } from './options.js';
import { describe } from './describe.js';
import { runService } from './runner.js';
import type { IService } from '../app/index.js';
import { UsageError } from '../app/index.js';
import { isWorker, leaveCluster, runWorkers } from './workers.js';

/** The runner's own options, before the service name. */
const RUNNER_OPTIONS = {
  'log-format': { type: 'string', default: 'text', description: 'text or json' },
  'log-level': {
    type: 'string',
    default: 'info',
    description: 'debug, info, warn, error or critical',
  },
  logfile: { type: 'string', description: 'append the log to this file (default: stdout)' },
  pidfile: { type: 'string', description: 'write the process id here; refuse to start if held' },
  'shutdown-timeout': {
    type: 'number',
    default: 10,
    description: 'seconds a graceful stop may take',
  },
  workers: { type: 'number', default: 1, description: 'number of worker processes' },
  plugin: { type: 'string[]', description: 'load plugins from this module (repeatable)' },
  version: { type: 'boolean', description: 'print the version and exit' },
} as const;

const USAGE = 'usage: woven [runner options] <service> [service options]';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

function mainHelp(services: ServicePlugin[]): string {
  const width = Math.max(0, ...services.map((s) => s.name.length)) + 4;
  return [
    USAGE,
    '',
    'Runner options:',
    formatOptionsHelp(RUNNER_OPTIONS),
    '',
    'Services:',
    ...services.map((s) => `  ${s.name.padEnd(width)}${s.description}`),
    '',
    "Run 'woven <service> --help' for a service's options.",
  ].join('\n');
}

function serviceHelp(plugin: ServicePlugin): string {
  return [
    `usage: woven [runner options] ${plugin.name} [options]`,
    '',
    plugin.description,
    '',
    'Options:',
    formatOptionsHelp(plugin.options ?? {}),
  ].join('\n');
}

/** Raised inside {@link main} to end with an exit status and a one-line message. */
class Exit {
  constructor(
    readonly code: number,
    readonly message?: string,
  ) {}
}

/**
 * Whether an error from `makeService` is bad usage (exit 2) rather than a
 * failed start (exit 1): option errors and malformed endpoint descriptions
 * are usage; an unreadable or invalid key/certificate file is a failed start.
 */
function isUsageError(error: unknown): boolean {
  const e = error as { name?: unknown; cause?: unknown; message?: unknown };
  if (e?.name === 'UsageError' || e?.name === 'EndpointPrefixError') return true;
  if (e?.name !== 'EndpointDescriptionError') return false;
  return e.cause === undefined && !/\bfile\b/.test(String(e.message));
}

async function makeService(plugin: ServicePlugin, values: unknown): Promise<IService> {
  try {
    const service = await plugin.makeService(values as never);
    if (typeof (service as IService | undefined)?.startService !== 'function') {
      throw new TypeError('makeService() did not return a service (an object with startService)');
    }
    return service;
  } catch (error) {
    if (isUsageError(error)) throw new Exit(2, `woven ${plugin.name}: ${(error as Error).message}`);
    throw new Exit(1, `woven ${plugin.name}: cannot start: ${describe(error)}`);
  }
}

function findService(catalog: PluginCatalog, name: string): ServicePlugin {
  try {
    return catalog.get('service', name);
  } catch (error) {
    if ((error as Error).name === 'UnknownPluginError') {
      throw new Exit(2, `woven: unknown service ${JSON.stringify(name)} (see woven --help)`);
    }
    throw new Exit(1, `woven: ${(error as Error).message}`);
  }
}

function checkRunnerValues(values: { workers: number; 'shutdown-timeout': number }): void {
  if (!Number.isInteger(values.workers) || values.workers < 1) {
    throw new UsageError(`--workers: expected a positive integer, got ${values.workers}`);
  }
  if (values['shutdown-timeout'] < 0) {
    throw new UsageError(
      `--shutdown-timeout: expected seconds >= 0, got ${values['shutdown-timeout']}`,
    );
  }
}

/** Where the runner reports why it could not start (pidfile held, listen failed, workers died). */
const FAILURE_NAMESPACES = new Set(['woven.app.runner', 'woven.app.workers']);

/** Repeat the runner's start failures on stderr as one line each, wherever the log goes. */
const reportFailures: LogObserver = (event) => {
  if (event.log_level === 'error' && FAILURE_NAMESPACES.has(event.log_namespace)) {
    process.stderr.write(`woven: ${formatEvent(event).split('\n')[0]}\n`);
  }
};

async function run(argv: string[]): Promise<number> {
  const { before, command, after } = splitAtCommand(RUNNER_OPTIONS, argv);
  const wantsHelp = before.some((a) => a === '--help' || a === '-h');
  const parsed = parseOptions(
    RUNNER_OPTIONS,
    before.filter((a) => a !== '--help' && a !== '-h'),
  );
  if (parsed.help) throw new Error('unreachable: help flags were removed');
  const options = parsed.values;
  if (options.version) {
    process.stdout.write(`woven ${version()}\n`);
    return 0;
  }
  checkRunnerValues(options);
  const closeLog = setupLogging({
    format: options['log-format'],
    level: options['log-level'],
    file: options.logfile,
    // With --help, stdout is for the help text.
    console:
      wantsHelp || after.some((a) => a === '--help' || a === '-h')
        ? process.stderr
        : process.stdout,
  });
  globalLogPublisher.addObserver(reportFailures);
  try {
    const catalog = await discoverPlugins({ paths: options.plugin });
    if (wantsHelp || command === undefined) {
      if (!wantsHelp) throw new Exit(2, 'woven: no service given (see woven --help)');
      process.stdout.write(`${mainHelp(catalog.list('service'))}\n`);
      return 0;
    }
    const plugin = findService(catalog, command);
    const serviceArgs = parseOptions(plugin.options ?? {}, after);
    if (serviceArgs.help) {
      process.stdout.write(`${serviceHelp(plugin)}\n`);
      return 0;
    }
    const shutdownTimeout = options['shutdown-timeout'];
    // Built in the primary too, so bad usage (a malformed --port) exits 2 before any fork.
    const service = await makeService(plugin, serviceArgs.values);
    if (options.workers > 1 && !isWorker()) {
      return await runWorkers({
        workers: options.workers,
        shutdownTimeout,
        pidfile: options.pidfile,
      });
    }
    try {
      return await runService(service, {
        shutdownTimeout,
        pidfile: isWorker() ? undefined : options.pidfile,
      });
    } finally {
      leaveCluster();
    }
  } finally {
    globalLogPublisher.removeObserver(reportFailures);
    await closeLog();
  }
}

/**
 * The `woven` command: parse `argv` (without `node` and the script), run
 * the named service in the foreground, and resolve with the exit status —
 * 0 after a graceful stop (or for `--help`), 2 for bad usage (with a
 * one-line reason on stderr), 1 when the service failed to start (the log
 * says why, and so does one line on stderr). The log goes to stdout unless
 * `--logfile` is given.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['echo', '--port', 'tcp:8000']);
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof Exit) {
      if (error.message) process.stderr.write(`${error.message}\n`);
      return error.code;
    }
    if (error instanceof UsageError || error instanceof LogFileError) {
      process.stderr.write(`woven: ${error.message}\n`);
      return error instanceof UsageError ? 2 : 1;
    }
    process.stderr.write(`woven: ${describe(error)}\n`);
    return 1;
  }
}
