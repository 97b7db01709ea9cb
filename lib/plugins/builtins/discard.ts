import type { StreamProtocol } from '../../protocols/index.js';
import { defineServicePlugin } from '../plugin.js';
import { listenOn, portOption } from './listen-on.js';

/** Discard protocol (RFC 863): read everything, answer nothing. */
export const discardProtocol: StreamProtocol = async (conn) => {
  for await (const _chunk of conn) {
    // Discarded.
  }
};

/** The `discard` built-in service. */
export const discard = defineServicePlugin({
  name: 'discard',
  description: 'Discard everything received (RFC 863).',
  options: { port: portOption('tcp:8009') },
  makeService: ({ port }) => listenOn(port, discardProtocol),
});
