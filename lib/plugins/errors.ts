import { setErrorName, WovenError } from '../failure/index.js';

/** Two plugins claim one name (or one endpoint prefix); the message names both origins. */
export class PluginConflictError extends WovenError {
  static {
    setErrorName(this, 'PluginConflictError', 'ERR_PLUGIN_CONFLICT');
  }
}

/** No plugin of that kind has that name. */
export class UnknownPluginError extends WovenError {
  static {
    setErrorName(this, 'UnknownPluginError', 'ERR_UNKNOWN_PLUGIN');
  }
}

/** The `web` service's `--path` names no directory (a failed start: exit 1, naming it). */
export class StaticRootError extends WovenError {
  static {
    setErrorName(this, 'StaticRootError', 'ERR_STATIC_ROOT');
  }
}

/** A plugin object passed to `registerPlugin` is malformed. */
export class InvalidPluginError extends WovenError {
  static {
    setErrorName(this, 'InvalidPluginError', 'ERR_INVALID_PLUGIN');
  }
}
