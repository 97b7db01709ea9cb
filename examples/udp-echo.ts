// A UDP echo server (RFC 862) and a connected-UDP client, Twisted style.
//   server: npx tsx examples/udp-echo.ts [port]
//   client: npx tsx examples/udp-echo.ts ping <port> <message>
import {
  ConnectionRefusedError,
  DatagramProtocol,
  type InetAddress,
  reactor,
  TimeoutError,
  type UDPPort,
} from '../lib/index.js';
import { isMain } from './main.js';

/** Send every datagram back to whoever sent it. */
export class EchoUDP extends DatagramProtocol {
  override datagramReceived(data: Uint8Array, addr: InetAddress): void {
    this.transport!.write(data, addr);
  }
}

/** Serve {@link EchoUDP} on 127.0.0.1:`port` (0: any free port). */
export function start(port = 8000): Promise<UDPPort> {
  return reactor.listenUDP(port, new EchoUDP(), '127.0.0.1');
}

/** Sends one datagram on a connected port and settles with the first reply. */
class Pinger extends DatagramProtocol {
  override noisy = false;
  readonly reply: Promise<string>;
  #settle!: (result: string | Error) => void;

  constructor(readonly message: string) {
    super();
    this.reply = new Promise((resolve, reject) => {
      this.#settle = (result) => (typeof result === 'string' ? resolve(result) : reject(result));
    });
  }

  override datagramReceived(data: Uint8Array): void {
    this.#settle(new TextDecoder().decode(data));
  }

  // Connected UDP: the peer's ICMP "port unreachable" ends up here.
  override connectionRefused(): void {
    this.#settle(new ConnectionRefusedError('nothing listens on that UDP port'));
  }

  timedOut(seconds: number): void {
    this.#settle(new TimeoutError(`no reply within ${seconds} s`));
  }
}

/**
 * Send `message` to the echo server on 127.0.0.1:`port` and resolve with
 * the reply; rejects with ConnectionRefusedError when nothing listens there,
 * or TimeoutError after `timeout` seconds (UDP may lose datagrams).
 */
export async function ping(port: number, message: string, timeout = 2): Promise<string> {
  const pinger = new Pinger(message);
  const client = await reactor.listenUDP(0, pinger, '127.0.0.1');
  const timer = reactor.callLater(timeout, () => pinger.timedOut(timeout));
  try {
    client.connect('127.0.0.1', port);
    client.write(message);
    return await pinger.reply;
  } finally {
    if (timer.active()) timer.cancel();
    await client.stopListening();
  }
}

if (isMain(import.meta.url)) {
  if (process.argv[2] === 'ping') {
    try {
      console.log(await ping(Number(process.argv[3]), process.argv[4] ?? 'hello'));
    } catch (error) {
      console.error(`ping failed: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  } else {
    const server = await start(Number(process.argv[2] ?? 8000));
    console.log(
      `UDP echo on port ${server.getHost().port} (try: nc -u 127.0.0.1 ${server.getHost().port})`,
    );
  }
}
