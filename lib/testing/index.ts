export { type ConnectionPairOptions, connectionPair } from './connection-pair.js';
export {
  type ConnectedServerAndClient,
  connectedServerAndClient,
  IOPump,
} from './io-pump.js';
export { loopback } from './loopback.js';
export {
  MemoryTransport,
  type MemoryTransportOptions,
  memoryTransportPair,
} from './memory-transport.js';
export {
  type ProducerState,
  StringTransport,
  type StringTransportOptions,
  StringTransportWithDisconnection,
} from './string-transport.js';
export {
  FakeConnector,
  FakePort,
  type MemoryBindAddress,
  MemoryReactor,
  MemoryReactorClock,
  RaisingMemoryReactor,
} from './memory-reactor.js';
// Deterministic time, so `woven/testing` alone covers a protocol's tests.
export { Clock } from '../time/index.js';
