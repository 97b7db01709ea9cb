import type { StreamProtocol } from '../../protocols/index.js';
import { defineServicePlugin } from '../plugin.js';
import { listenOn, portOption } from './listen-on.js';

/** Echo protocol (RFC 862): every byte received is sent back. */
export const echoProtocol: StreamProtocol = async function* (conn) {
  for await (const chunk of conn) yield chunk;
};

/** The `echo` built-in service. */
export const echo = defineServicePlugin({
  name: 'echo',
  description: 'Echo every byte back (RFC 862).',
  options: { port: portOption('tcp:8000') },
  makeService: ({ port }) => listenOn(port, echoProtocol),
});
