import { readFileSync } from 'node:fs';
import { standardOutputClaimed } from '../endpoints/index.js';
import { formatEvent, globalLogPublisher, type LogObserver, type TextSink } from '../log/index.js';
import { discoverPlugins, type PluginCatalog, type ServicePlugin } from '../plugins/index.js';
import { LogFileError } from './log-file.js';
import { setupLogging } from './log-setup.js';
import { formatOptionsHelp, parseOptions, splitAtCommand } from './options.js';
import { describe } from './describe.js';
import { runService } from './runner.js';
import type { IService } from '../app/index.js';
import { UsageError } from '../app/index.js';
import { announceStarted, isWorker, leaveCluster, runWorkers } from './workers.js';
import {
  checkConfigKeys,
  formatOptionSources,
  type OptionLayers,
  type ResolvedOptions,
  readConfigFile,
  resolveOptions,
} from './config.js';
import { reopenOnSignal } from './log-reopen.js';
import { type Monitor, serveWorkerMetrics, startMonitoring } from './monitoring.js';
import { reactor } from '../time/index.js';
import { loadServiceFile } from './run-file.js';

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
  config: {
    type: 'string',
    description: 'read option values from this JSON file (keys: option names)',
  },
  metrics: {
    type: 'string',
    description: 'serve /metrics, /healthz and /readyz on this endpoint (e.g. tcp:9100)',
  },
  version: { type: 'boolean', description: 'print the version and exit' },
} as const;

const USAGE = [
  'usage: woven [runner options] <service> [service options]',
  '       woven [runner options] run <file> [arguments]',
].join('\n');

/** How `woven --help` explains where option values may come from. */
const SOURCES_HELP =
  'Every option may also come from the environment as WOVEN_<OPTION> (upper snake case:\n' +
  '--log-level is WOVEN_LOG_LEVEL) or from the --config JSON file (keys: option names);\n' +
  'a flag wins over the environment, which wins over the file, which wins over the default.';

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
    `  ${'run'.padEnd(width)}Run the service a module exports by default (woven run <file>).`,
    '',
    SOURCES_HELP,
    '',
    "Run 'woven <service> --help' for a service's options and where their values come from.",
  ].join('\n');
}

type AnyResolved = ResolvedOptions<Record<string, unknown>>;

function serviceHelp(plugin: ServicePlugin, resolved: readonly AnyResolved[]): string {
  return [
    `usage: woven [runner options] ${plugin.name} [options]`,
    '',
    plugin.description,
    '',
    'Options:',
    formatOptionsHelp(plugin.options ?? {}),
    '',
    'Current values (flag > environment > config file > default):',
    formatOptionSources(resolved),
  ].join('\n');
}

function runHelp(resolved: readonly AnyResolved[]): string {
  return [
    'usage: woven [runner options] run <file> [arguments]',
    '',
    "Run the module's default export: a service, or a function (possibly async) of the",
    'arguments returning one. .js and .mjs files run as they are; .ts files need tsx',
    'installed in the project.',
    '',
    'Current values (flag > environment > config file > default):',
    formatOptionSources(resolved),
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

/** Build the service with `make`; `label` (`woven <name>`) starts the one-line error. */
async function buildService(label: string, make: () => unknown): Promise<IService> {
  try {
    const service = await make();
    if (typeof (service as IService | undefined)?.startService !== 'function') {
      throw new TypeError('that is not a service (an object with startService)');
    }
    return service as IService;
  } catch (error) {
    if (isUsageError(error)) throw new Exit(2, `${label}: ${(error as Error).message}`);
    throw new Exit(1, `${label}: cannot start: ${describe(error)}`);
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

/** The log without --logfile: stdout, unless a `stdio:` endpoint took it for its protocol (then stderr). */
const consoleLog: TextSink = {
  write: (text) => (standardOutputClaimed() ? process.stderr : process.stdout).write(text),
};

/** Where the runner reports why it could not start (pidfile held, listen failed, workers died). */
const FAILURE_NAMESPACES = new Set(['woven.app.runner', 'woven.app.workers']);

/** Repeat the runner's start failures on stderr as one line each, wherever the log goes. */
const reportFailures: LogObserver = (event) => {
  if (event.log_level === 'error' && FAILURE_NAMESPACES.has(event.log_namespace)) {
    process.stderr.write(`woven: ${formatEvent(event).split('\n')[0]}\n`);
  }
};

/** The environment and the `--config` file (named by the flag, else `WOVEN_CONFIG`). */
function optionLayers(configFlag: string | undefined): OptionLayers {
  const env = process.env;
  const path = configFlag ?? (env.WOVEN_CONFIG || undefined);
  return { env, file: path === undefined ? undefined : readConfigFile(path) };
}

type RunnerValues = ReturnType<typeof parseRunnerOptions>['values'];

function parseRunnerOptions(before: readonly string[]) {
  const parsed = parseOptions(RUNNER_OPTIONS, withoutHelp(before));
  if (parsed.help) throw new Error('unreachable: help flags were removed');
  const layers = optionLayers(parsed.given.has('config') ? parsed.values.config : undefined);
  return { ...resolveOptions(RUNNER_OPTIONS, parsed, layers), layers };
}

/** What the command line asks for: help text to print, or a service to run. */
type Target = { help: string } | { service: IService };

/** The service of a plugin, with its options from flags, environment and file. */
async function pluginTarget(
  catalog: PluginCatalog,
  name: string,
  args: readonly string[],
  runner: AnyResolved & { layers: OptionLayers },
): Promise<Target> {
  const plugin = findService(catalog, name);
  const spec = plugin.options ?? {};
  const parsed = parseOptions(spec, withoutHelp(args));
  if (parsed.help) throw new Error('unreachable: help flags were removed');
  checkConfigKeys(runner.layers.file, [RUNNER_OPTIONS, spec]);
  const resolved = resolveOptions(spec, parsed, runner.layers);
  if (asksForHelp(args)) return { help: serviceHelp(plugin, [runner, resolved]) };
  return {
    service: await buildService(`woven ${name}`, () =>
      plugin.makeService(resolved.values as never),
    ),
  };
}

/** The service a `woven run <file>` module exports. */
async function fileTarget(args: readonly string[], runner: AnyResolved & { layers: OptionLayers }) {
  checkConfigKeys(runner.layers.file, [RUNNER_OPTIONS]);
  const [file, ...rest] = args;
  if (file === '--help' || file === '-h') return { help: runHelp([runner]) };
  if (file === undefined) throw new Exit(2, 'woven run: no file given (see woven run --help)');
  return { service: await buildService('woven run', () => loadServiceFile(file, rest)) };
}

/** The `--metrics` endpoint of this process: none in a worker (it answers its primary instead). */
async function monitorFor(options: RunnerValues): Promise<Monitor | undefined> {
  if (options.metrics === undefined) return undefined;
  if (isWorker()) {
    serveWorkerMetrics();
    return undefined;
  }
  try {
    return await startMonitoring(options.metrics, { aggregateWorkers: options.workers > 1 });
  } catch (error) {
    throw new Exit(1, `woven: --metrics ${options.metrics}: ${(error as Error).message}`);
  }
}

/** Run `service` in this process, or supervise workers running it. */
async function runTarget(service: IService, options: RunnerValues): Promise<number> {
  const shutdownTimeout = options['shutdown-timeout'];
  const monitor = await monitorFor(options);
  try {
    if (options.workers > 1 && !isWorker()) {
      return await runWorkers({
        workers: options.workers,
        shutdownTimeout,
        pidfile: options.pidfile,
        onStarted: () => monitor?.ready(),
        onStopping: () => monitor?.stopping(),
      });
    }
    reactor.addSystemEventTrigger('before', 'shutdown', () => monitor?.stopping());
    return await runService(service, {
      shutdownTimeout,
      pidfile: isWorker() ? undefined : options.pidfile,
      onStarted: () => {
        announceStarted();
        monitor?.ready();
      },
    });
  } finally {
    await monitor?.close();
  }
}

const isHelpFlag = (a: string) => a === '--help' || a === '-h';

function asksForHelp(args: readonly string[]): boolean {
  return args.some(isHelpFlag);
}

function withoutHelp(args: readonly string[]): string[] {
  return args.filter((a) => !isHelpFlag(a));
}

async function run(argv: string[]): Promise<number> {
  const { before, command, after } = splitAtCommand(RUNNER_OPTIONS, argv);
  const wantsHelp = asksForHelp(before);
  const runner = parseRunnerOptions(before);
  const options = runner.values;
  if (options.version) {
    process.stdout.write(`woven ${version()}\n`);
    return 0;
  }
  checkRunnerValues(options);
  const logOutput = setupLogging({
    format: options['log-format'],
    level: options['log-level'],
    file: options.logfile,
    // With --help, stdout is for the help text.
    console: wantsHelp || asksForHelp(after) ? process.stderr : consoleLog,
  });
  globalLogPublisher.addObserver(reportFailures);
  const stopReopening = reopenOnSignal(logOutput.file);
  try {
    const catalog = await discoverPlugins({ paths: options.plugin });
    if (wantsHelp || command === undefined) {
      if (!wantsHelp) throw new Exit(2, 'woven: no service given (see woven --help)');
      process.stdout.write(`${mainHelp(catalog.list('service'))}\n`);
      return 0;
    }
    // Built in the primary too, so bad usage (a malformed --port) exits 2 before any fork.
    const target =
      command === 'run'
        ? await fileTarget(after, runner)
        : await pluginTarget(catalog, command, after, runner);
    if ('help' in target) {
      process.stdout.write(`${target.help}\n`);
      return 0;
    }
    return await runTarget(target.service, options);
  } finally {
    globalLogPublisher.removeObserver(reportFailures);
    stopReopening();
    await logOutput.close();
    leaveCluster(); // a worker that failed to start exits at once too
  }
}

/**
 * The `woven` command: parse `argv` (without `node` and the script), run
 * the named service (or, for `run <file>`, the service the file exports)
 * in the foreground, and resolve with the exit status — 0 after a graceful
 * stop (or for `--help`), 2 for bad usage (with a one-line reason on
 * stderr), 1 when the service failed to start (the log says why, and so
 * does one line on stderr). Option values come from flags, then
 * `WOVEN_<OPTION>` variables, then the `--config` file, then the defaults.
 * The log goes to stdout unless `--logfile` is given (or a `stdio:`
 * endpoint uses stdout: then to stderr).
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
