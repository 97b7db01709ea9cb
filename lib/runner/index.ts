export { main } from './cli.js';
export { formatOptionsHelp, type OptionsResult, parseOptions, splitAtCommand } from './options.js';
export { AlreadyRunningError, PidFile, PidfileError } from './pidfile.js';
export { runService, type RunServiceOptions } from './runner.js';
