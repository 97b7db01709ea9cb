export {
  describeSource,
  findPluginModules,
  type LoadedPlugin,
  loadPluginModule,
  type PluginModuleRef,
  type PluginProblem,
} from './discovery.js';
export {
  InvalidPluginError,
  PluginConflictError,
  StaticRootError,
  UnknownPluginError,
} from './errors.js';
export {
  defineEndpointPlugin,
  defineServicePlugin,
  type EndpointPlugin,
  type Plugin,
  type PluginKind,
  type PluginOfKind,
  pluginName,
  pluginProblem,
  type ServicePlugin,
} from './plugin.js';
export {
  type DiscoveryOptions,
  discoverPlugins,
  getPlugins,
  PluginCatalog,
  registerPlugin,
} from './registry.js';
