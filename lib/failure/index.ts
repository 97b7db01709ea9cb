export { type ErrorType, Failure } from './failure.js';
export { setErrorName, WovenError } from './woven-error.js';
