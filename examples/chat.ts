// A line-based chat server: `npx tsx examples/chat.ts [port]`, then `nc 127.0.0.1 8000`.
// The first line is your nickname; every later line goes to everyone else.
// Lines may end in LF (as nc sends them) or CRLF (as telnet does).
import {
  type Connection,
  type InetAddress,
  type IListeningPort,
  LimitConnectionsByPeer,
  lines,
  listen,
  type StreamProtocol,
  TimeoutFactory,
} from '../lib/index.js';
import { isMain } from './main.js';

/** A chat room: a stream protocol plus the nicknames in use. */
export function chatRoom(): StreamProtocol {
  const users = new Map<string, Connection>();
  const broadcast = (text: string, from?: Connection) => {
    for (const conn of users.values()) if (conn !== from) void conn.write(`${text}\r\n`);
  };
  return async (conn) => {
    let nick: string | null = null;
    await conn.write('Welcome! Your nickname?\r\n');
    try {
      for await (const line of lines(conn, {
        encoding: 'utf8',
        maxLength: 1024,
        anyNewline: true,
      })) {
        if (nick !== null) {
          broadcast(`<${nick}> ${line}`, conn);
        } else if (line === '' || users.has(line)) {
          await conn.write('That nickname is taken; another?\r\n');
        } else {
          nick = line;
          users.set(nick, conn);
          await conn.write(`Hello ${nick}, ${users.size} here.\r\n`);
          broadcast(`* ${nick} joined`, conn);
        }
      }
    } finally {
      if (nick !== null) {
        users.delete(nick);
        broadcast(`* ${nick} left`);
      }
    }
  };
}

/**
 * Serve a chat room on 127.0.0.1:`port` (0: any free port); idle users are
 * dropped after 10 minutes and each host may open 5 connections.
 */
export function start(port = 8000): Promise<IListeningPort> {
  const policed = new LimitConnectionsByPeer(new TimeoutFactory(chatRoom(), 600), 5);
  return listen(`tcp:${port}:interface=127.0.0.1`, policed);
}

if (isMain(import.meta.url)) {
  const server = await start(Number(process.argv[2] ?? 8000));
  console.log(`chat on port ${(server.getHost() as InetAddress).port}`);
}
