// JSON-RPC over netstrings, server and client:
// `npx tsx examples/netstring-rpc.ts [port]` serves and calls itself once.
import {
  ConnectionClosedError,
  connect,
  encodeNetstring,
  type InetAddress,
  type IListeningPort,
  listen,
  netstrings,
  type StreamProtocol,
} from '../lib/index.js';
import { isMain } from './main.js';

/** The methods the server offers: each takes the call's `params` array. */
export const methods: Record<string, (params: unknown[]) => unknown> = {
  add: ([a, b]) => Number(a) + Number(b),
  upper: ([s]) => String(s).toUpperCase(),
};

/** Answer each `{id, method, params}` netstring with `{id, result}` or `{id, error}`. */
export const rpcServer: StreamProtocol = async function* (conn) {
  for await (const frame of netstrings(conn)) {
    const { id, method, params } = JSON.parse(Buffer.from(frame).toString());
    try {
      const fn = methods[method];
      if (!fn) throw new Error(`no such method: ${method}`);
      yield encodeNetstring(JSON.stringify({ id, result: await fn(params) }));
    } catch (error) {
      yield encodeNetstring(JSON.stringify({ id, error: String(error) }));
    }
  }
};

/** A client: `call(method, ...params)` resolves with the result; replies match by id. */
export async function rpcClient(description: string) {
  const conn = await connect(description);
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 0;
  void (async () => {
    try {
      for await (const frame of netstrings(conn)) {
        const { id, result, error } = JSON.parse(Buffer.from(frame).toString());
        pending.get(id)?.[error === undefined ? 'resolve' : 'reject'](result ?? new Error(error));
        pending.delete(id);
      }
    } catch {
      // The connection was lost: the calls still pending fail below.
    } finally {
      for (const p of pending.values()) p.reject(new ConnectionClosedError());
    }
  })();
  return {
    call(method: string, ...params: unknown[]): Promise<unknown> {
      const id = nextId++;
      const reply = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      void conn.write(encodeNetstring(JSON.stringify({ id, method, params })));
      return reply;
    },
    close: () => conn.close(),
  };
}

/** Serve {@link rpcServer} on 127.0.0.1:`port` (0: any free port). */
export function start(port = 8000): Promise<IListeningPort> {
  return listen(`tcp:${port}:interface=127.0.0.1`, rpcServer);
}

if (isMain(import.meta.url)) {
  const server = await start(Number(process.argv[2] ?? 8000));
  const port = (server.getHost() as InetAddress).port;
  const client = await rpcClient(`tcp:127.0.0.1:${port}`);
  console.log('add(2, 3) =', await client.call('add', 2, 3));
  await client.close();
  await server.stopListening();
}
