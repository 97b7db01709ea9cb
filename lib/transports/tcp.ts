// Tests: tests/transports/tcp.test.ts
import * as net from 'node:net';
import { type Handler, toFactory } from '../protocols/index.js';
import type { IReactorTime } from '../time/index.js';
import { Connector } from './connector.js';
import type { BindAddress } from './interfaces.js';
import { DEFAULT_BACKLOG, ListeningPort } from './listening-port.js';

/** `bindAddress` as Node's `localAddress`/`localPort` connect options. */
export function bindOptions(bindAddress: BindAddress | undefined): {
  localAddress?: string;
  localPort?: number;
} {
  if (bindAddress === undefined) return {};
  const [host, port] = Array.isArray(bindAddress)
    ? (bindAddress as readonly [string, number])
    : [(bindAddress as { host: string }).host, (bindAddress as { port?: number }).port];
  return port ? { localAddress: host, localPort: port } : { localAddress: host };
}

/** Node's `listen` options for `port` on `iface` (`''`: every interface). */
export function listenOptions(
  port: number,
  backlog: number,
  iface: string,
): { port: number; host?: string; backlog: number } {
  return iface === '' ? { port, backlog } : { port, host: iface, backlog };
}

/**
 * Listen for TCP connections on `port` (0 picks a free one) and `iface`
 * (`''` means every interface), serving `handler`, as Twisted's `listenTCP`.
 */
export function listenTCP(
  port: number,
  handler: Handler,
  backlog = DEFAULT_BACKLOG,
  iface = '',
): Promise<ListeningPort> {
  const server = net.createServer({ allowHalfOpen: true, noDelay: true });
  return ListeningPort.open(server, toFactory(handler), {
    kind: 'TCP',
    listen: listenOptions(port, backlog, iface),
    connectionEvent: 'connection',
  });
}

/**
 * Connect to `host`:`port` over TCP, as Twisted's `connectTCP`; `timeout`
 * is in seconds (`null` for none). Returns the started {@link Connector}.
 */
export function connectTCP(
  clock: IReactorTime,
  host: string,
  port: number,
  handler: Handler,
  timeout: number | null = 30,
  bindAddress?: BindAddress,
): Connector {
  const connector = new Connector(
    {
      kind: 'TCP',
      destination: { type: 'TCP', host, port },
      dial: () =>
        net.connect({
          host,
          port,
          allowHalfOpen: true,
          noDelay: true,
          ...bindOptions(bindAddress),
        }),
    },
    toFactory(handler),
    timeout,
    clock,
  );
  connector.connect();
  return connector;
}
