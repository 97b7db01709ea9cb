// Structured concurrency per connection with abort-controller-x: every task a
// connection starts is a `fork` of one `spawn` over `conn.signal`, so each
// ends when the connection closes — no timer or write outlives its client.
// `npx tsx examples/reminders.ts [port]`, then `later 2000 stretch` (reply
// `ok`, and `stretch` two seconds later), `tasks` (how many are pending).
import { delay, isAbortError, spawn } from 'abort-controller-x';
import {
  type InetAddress,
  type IListeningPort,
  lines,
  listen,
  type StreamProtocol,
} from '../lib/index.js';
import { isMain } from './main.js';

let pending = 0;

/** Reminders not yet delivered, over every connection. */
export const pendingReminders = (): number => pending;

/**
 * `later MS TEXT` sends TEXT back after MS milliseconds (a forked task);
 * `tasks` answers how many of this connection's reminders are pending.
 * When the client goes, `conn.signal` aborts and the forks with it.
 */
export const reminders: StreamProtocol = async (conn) => {
  let mine = 0;
  try {
    await spawn(conn.signal, async (_signal, { fork }) => {
      for await (const line of lines(conn, { encoding: 'utf8', maxLength: 1024 })) {
        const [command, ms, ...words] = line.split(' ');
        if (command === 'later' && Number(ms) >= 0) {
          fork(async (signal) => {
            pending += 1;
            mine += 1;
            try {
              await delay(signal, Number(ms));
              await conn.write(`${words.join(' ')}\r\n`, { signal });
            } finally {
              pending -= 1;
              mine -= 1;
            }
          });
          await conn.write('ok\r\n');
        } else if (command === 'tasks') {
          await conn.write(`${mine}\r\n`);
        } else {
          await conn.write('commands: later MS TEXT, tasks\r\n');
        }
      }
    });
  } catch (error) {
    if (!isAbortError(error)) throw error; // the connection closed: its tasks were aborted
  }
};

/** Serve {@link reminders} on 127.0.0.1:`port` (0: any free port). */
export function start(port = 8000): Promise<IListeningPort> {
  return listen(`tcp:${port}:interface=127.0.0.1`, reminders);
}

if (isMain(import.meta.url)) {
  const server = await start(Number(process.argv[2] ?? 8000));
  console.log(`reminders on port ${(server.getHost() as InetAddress).port}`);
}
