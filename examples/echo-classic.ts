// An echo server (RFC 862) in the classic, Twisted style: `npx tsx examples/echo-classic.ts [port]`.
import { type InetAddress, type IListeningPort, listen, Protocol } from '../lib/index.js';
import { isMain } from './main.js';

/** Echo every chunk back, as Twisted's `Echo` protocol. */
export class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport!.write(data);
  }
}

/** Serve {@link Echo} on 127.0.0.1:`port` (0: any free port). */
export function start(port = 8000): Promise<IListeningPort> {
  return listen(`tcp:${port}:interface=127.0.0.1`, Echo);
}

if (isMain(import.meta.url)) {
  const server = await start(Number(process.argv[2] ?? 8000));
  console.log(`echo (classic style) on port ${(server.getHost() as InetAddress).port}`);
}
