import type { StreamProtocol } from '../../protocols/index.js';
import { defineServicePlugin } from '../plugin.js';
import { listenOn, portOption } from './listen-on.js';

/** Daytime protocol (RFC 867): send the date and time as text, then close. */
export const daytimeProtocol: StreamProtocol = async function* () {
  yield `${new Date().toUTCString()}\r\n`;
};

/** The `daytime` built-in service. */
export const daytime = defineServicePlugin({
  name: 'daytime',
  description: 'Send the current date and time as text, then close (RFC 867).',
  options: { port: portOption('tcp:8013') },
  makeService: ({ port }) => listenOn(port, daytimeProtocol),
});
