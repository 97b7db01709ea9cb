// Tests: tests/runner/socket-activation.test.ts
import * as net from 'node:net';
import { type Handler, toFactory } from '../protocols/index.js';
import { DEFAULT_BACKLOG, ListeningPort } from './listening-port.js';

/** The address family of an adopted socket, as Python's `socket.AF_*` names without `AF_`. */
export type AddressFamily = 'INET' | 'INET6' | 'UNIX';

/**
 * Serve `handler` on a listening socket this process was given as the file
 * descriptor `fileDescriptor` (by systemd socket activation, inetd, or a
 * parent process), as Twisted's `IReactorSocket.adoptStreamPort`. The
 * socket must already be bound and listening; closing the port closes it.
 */
export function adoptStreamPort(
  fileDescriptor: number,
  addressFamily: AddressFamily,
  handler: Handler,
): Promise<ListeningPort> {
  const server = net.createServer({ allowHalfOpen: true, noDelay: addressFamily !== 'UNIX' });
  return ListeningPort.open(server, toFactory(handler), {
    kind: addressFamily === 'UNIX' ? 'UNIX' : 'TCP',
    listen: { fd: fileDescriptor, backlog: DEFAULT_BACKLOG },
    connectionEvent: 'connection',
  });
}
