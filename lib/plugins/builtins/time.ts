import type { StreamProtocol } from '../../protocols/index.js';
import { defineServicePlugin } from '../plugin.js';
import { listenOn, portOption } from './listen-on.js';

/** Seconds between 1900-01-01 and the Unix epoch. */
const EPOCH_OFFSET = 2_208_988_800;

/** The RFC 868 encoding of a time: 32-bit big-endian seconds since 1900 (wrapping). */
export function rfc868Bytes(unixSeconds: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, (Math.floor(unixSeconds) + EPOCH_OFFSET) % 2 ** 32);
  return bytes;
}

/** Time protocol (RFC 868): send the time as 4 bytes, then close. */
export const timeProtocol: StreamProtocol = async function* () {
  yield rfc868Bytes(Date.now() / 1000);
};

/** The `time` built-in service. */
export const time = defineServicePlugin({
  name: 'time',
  description: 'Send the time as 32-bit seconds since 1900, then close (RFC 868).',
  options: { port: portOption('tcp:8037') },
  makeService: ({ port }) => listenOn(port, timeProtocol),
});
