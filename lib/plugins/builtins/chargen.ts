import type { StreamProtocol } from '../../protocols/index.js';
import { defineServicePlugin } from '../plugin.js';
import { listenOn, portOption } from './listen-on.js';

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
/** The pattern twice, so any line is one slice of it. */
const PATTERN = PRINTABLE + PRINTABLE;

/** Line `n` of the RFC 864 pattern: 72 printable characters, rotated by one each line, and CRLF. */
export function chargenLine(n: number): string {
  const start = n % PRINTABLE.length;
  return `${PATTERN.slice(start, start + 72)}\r\n`;
}

/** Character generator protocol (RFC 864): send lines until the peer goes away, with backpressure. */
export const chargenProtocol: StreamProtocol = async function* (conn) {
  for (let n = 0; !conn.signal.aborted; n++) yield chargenLine(n);
};

/** The `chargen` built-in service. */
export const chargen = defineServicePlugin({
  name: 'chargen',
  description: 'Send a stream of characters until the client disconnects (RFC 864).',
  options: { port: portOption('tcp:8019') },
  makeService: ({ port }) => listenOn(port, chargenProtocol),
});
