import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionRefusedError, type UDPPort } from '../../lib/index.js';
import { ping, start } from '../../examples/udp-echo.js';
import { closedPort } from '../transports/udp-helpers.js';

const servers: UDPPort[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stopListening();
});

describe('examples/udp-echo.ts', () => {
  it('echoes each datagram back to its sender', async () => {
    const server = await start(0);
    servers.push(server);
    expect(server.getHost()).toMatchObject({ type: 'UDP', host: '127.0.0.1' });
    expect(await ping(server.getHost().port, 'hello')).toBe('hello');
    expect(await ping(server.getHost().port, 'é'.repeat(1000))).toBe('é'.repeat(1000));
  });

  it('ping fails with ConnectionRefusedError when nothing listens', async () => {
    await expect(ping(await closedPort(), 'anyone?')).rejects.toBeInstanceOf(
      ConnectionRefusedError,
    );
  });
});
