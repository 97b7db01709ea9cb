// Shared by the example tests: talk to a server over real sockets.
import {
  type Connection,
  connect,
  type IListeningPort,
  type InetAddress,
  lines,
} from '../../lib/index.js';

/** The client description of a server listening on 127.0.0.1. */
export const tcpTo = (server: IListeningPort) =>
  `tcp:127.0.0.1:${(server.getHost() as InetAddress).port}`;

/** A line-oriented client: `next()` resolves with the next line received. */
export async function lineClient(description: string) {
  const conn: Connection = await connect(description);
  const received = lines(conn, { encoding: 'utf8' });
  return {
    conn,
    send: (line: string) => conn.write(`${line}\r\n`),
    next: async () => (await received.next()).value,
  };
}
