// A TLS echo server with a throwaway self-signed certificate made by openssl:
// `npx tsx examples/tls-echo.ts [port]`, then
// `openssl s_client -connect 127.0.0.1:8443 -CAfile <the printed cert path>`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type InetAddress, type IListeningPort, listen } from '../lib/index.js';
import { echo } from './echo-stream.js';
import { isMain } from './main.js';

/** Make a self-signed certificate for localhost and 127.0.0.1 in a new temp dir. */
export function makeTestCertificate(): { dir: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'woven-tls-echo-'));
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  const args = '-x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1';
  const san = 'subjectAltName=DNS:localhost,IP:127.0.0.1';
  execFileSync(
    'openssl',
    [
      'req',
      ...args.split(' '),
      '-subj',
      '/CN=localhost',
      '-addext',
      san,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { dir, cert, key };
}

/** Serve the echo protocol over TLS on 127.0.0.1:`port`; `cert` is the file clients trust. */
export async function start(
  port = 8443,
): Promise<{ server: IListeningPort; cert: string; stop(): Promise<void> }> {
  const { dir, cert, key } = makeTestCertificate();
  const server = await listen(
    `ssl:${port}:interface=127.0.0.1:privateKey=${key}:certKey=${cert}`,
    echo,
  );
  const stop = async () => {
    await server.stopListening();
    rmSync(dir, { recursive: true, force: true });
  };
  return { server, cert, stop };
}

if (isMain(import.meta.url)) {
  const { server, cert } = await start(Number(process.argv[2] ?? 8443));
  console.log(`TLS echo on port ${(server.getHost() as InetAddress).port}; trust ${cert}`);
}
