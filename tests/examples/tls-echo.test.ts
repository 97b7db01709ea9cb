import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from '../../examples/tls-echo.js';
import { connect, type InetAddress, TLSError } from '../../lib/index.js';
import { roundTrip } from '../helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('examples/tls-echo.ts', () => {
  it('echoes over TLS to a client trusting the generated certificate; others are refused', async () => {
    const { server, cert, stop } = await start(0);
    cleanups.push(stop);
    const port = (server.getHost() as InetAddress).port;
    const conn = await connect(`tls:localhost:${port}:trustRoots=${cert}`);
    cleanups.push(() => conn.abort());
    expect(await roundTrip(conn, 'secret')).toBe('secret');
    await expect(connect(`tls:localhost:${port}`)).rejects.toBeInstanceOf(TLSError);
  });

  it('removes the generated certificate when stopped', async () => {
    const { cert, stop } = await start(0);
    expect(existsSync(cert)).toBe(true);
    await stop();
    expect(existsSync(cert)).toBe(false);
  });
});
