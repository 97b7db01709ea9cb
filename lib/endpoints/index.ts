export { type ParsedDescription, parseDescription, quoteStringArgument } from './description.js';
export { EndpointDescriptionError, EndpointPrefixError } from './errors.js';
export {
  type EndpointParser,
  type EndpointPrefixDefinition,
  endpointPrefixes,
  registerEndpointPrefix,
} from './registry.js';
