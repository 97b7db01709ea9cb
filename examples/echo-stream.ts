// An echo server (RFC 862) in the stream style: `npx tsx examples/echo-stream.ts [port]`.
import {
  type InetAddress,
  type IListeningPort,
  listen,
  type StreamProtocol,
} from '../lib/index.js';
import { isMain } from './main.js';

/** Echo every chunk back; `yield` writes with backpressure. */
export const echo: StreamProtocol = async function* (conn) {
  for await (const chunk of conn) yield chunk;
};

/** Serve {@link echo} on 127.0.0.1:`port` (0: any free port). */
export function start(port = 8000): Promise<IListeningPort> {
  return listen(`tcp:${port}:interface=127.0.0.1`, echo);
}

if (isMain(import.meta.url)) {
  const server = await start(Number(process.argv[2] ?? 8000));
  console.log(`echo (stream style) on port ${(server.getHost() as InetAddress).port}`);
}
