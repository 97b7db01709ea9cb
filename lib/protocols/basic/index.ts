export {
  Int8StringReceiver,
  Int16StringReceiver,
  Int32StringReceiver,
  IntNStringReceiver,
} from './int-string-receiver.js';
export { LineOnlyReceiver } from './line-only-receiver.js';
export { LineReceiver } from './line-receiver.js';
export { NetstringReceiver } from './netstring-receiver.js';
export { NotImplementedError } from './not-implemented.js';
export { PausableProtocol } from './pausable.js';
