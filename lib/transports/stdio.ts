// Tests: tests/endpoints/stdio.test.ts, tests/runner/stdio.test.ts
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import {
  type Address,
  type Handler,
  type Protocol,
  ServerStoppingError,
  tellServerStopping,
  toFactory,
} from '../protocols/index.js';
import { CannotListenError } from './errors.js';
import { SocketTransport } from './socket-transport.js';

/** The streams a {@link StdioPort} runs its connection over (default: this process's stdin and stdout). */
export interface StdioStreams {
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

/** A stdin/stdout pair has no address: Twisted's `PipeAddress`, here an unnamed Unix address. */
const PIPE_ADDRESS: Address = { type: 'UNIX', name: null };

/**
 * stdin and stdout as one duplex stream, shaped as the socket a
 * {@link SocketTransport} drives: reads pause stdin when not pulled;
 * each write completes when stdout took it. Ending it ends a stdout of
 * our own but not the process's (which Node never closes: the peer sees
 * the end when the process exits). Once closed it stops reading stdin,
 * whose pending read would otherwise keep the process alive.
 */
class PipeSocket extends Duplex {
  readonly #stdin: NodeJS.ReadableStream;
  readonly #stdout: NodeJS.WritableStream;
  readonly #onData = (chunk: Buffer | string) => {
    if (!this.push(chunk)) this.#stdin.pause();
  };
  readonly #onEnd = () => this.push(null);
  readonly #onError = (error: Error) => this.destroy(error);

  constructor(stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream) {
    super({ allowHalfOpen: true });
    this.#stdin = stdin;
    this.#stdout = stdout;
    stdin.on('data', this.#onData);
    stdin.on('end', this.#onEnd);
    stdin.on('error', this.#onError);
    stdout.on('error', this.#onError); // EPIPE: the peer stopped reading
  }

  override _read(): void {
    this.#stdin.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void) {
    this.#stdout.write(chunk, done);
  }

  override _final(done: (error?: Error | null) => void): void {
    if (this.#stdout === process.stdout) done();
    else this.#stdout.end(done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    const stdin = this.#stdin;
    stdin.off('data', this.#onData);
    stdin.off('end', this.#onEnd);
    stdin.off('error', this.#onError);
    this.#stdout.off('error', this.#onError);
    (stdin as Partial<Duplex>).destroy?.();
    done(error);
  }

  /** As a TCP socket's: here a plain destroy. */
  resetAndDestroy(): this {
    return this.destroy();
  }
}

/** Closing our side closes both, as Twisted's StandardIO.loseConnection: a peer keeping stdin open cannot hold the connection. */
function pipeSocket(stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream): Socket {
  const socket = new PipeSocket(stdin, stdout);
  socket.once('finish', () => socket.destroy());
  return socket as unknown as Socket;
}

/**
 * One connection over standard input and output, as Twisted's
 * `StandardIO` (inetd style: the process serves one peer on fds 0 and 1).
 * It plays the listening port of that single connection: `stopListening()`
 * has nothing to close, {@link closeConnections} tells the protocol the
 * server is stopping, and {@link closed} resolves once the connection is gone.
 */
export class StdioPort {
  readonly #protocol: Protocol;
  readonly #transport: SocketTransport;
  #open = true;
  /** Resolves once the connection is closed (clean or not). */
  readonly closed: Promise<void>;

  /** Serve `handler` over `streams` now; {@link CannotListenError} if its factory builds no protocol. */
  constructor(
    handler: Handler,
    { stdin = process.stdin, stdout = process.stdout }: StdioStreams = {},
  ) {
    const factory = toFactory(handler);
    factory.doStart();
    const protocol = factory.buildProtocol(PIPE_ADDRESS);
    if (protocol === null) {
      throw new CannotListenError('', 'stdio', `${factory.logPrefix()} built no protocol`);
    }
    this.#protocol = protocol;
    let lost: () => void = () => {};
    this.closed = new Promise<void>((resolve) => {
      lost = resolve;
    });
    this.#transport = new SocketTransport(
      pipeSocket(stdin, stdout),
      protocol,
      {
        isServer: true,
        kind: 'UNIX',
        unixPath: null,
        listener: PIPE_ADDRESS,
        onLost: () => {
          this.#open = false;
          factory.doStop();
          lost();
        },
      },
      PIPE_ADDRESS,
    );
    this.#transport.start();
  }

  /** The "address" listened on: an unnamed pipe. */
  getHost(): Address {
    return PIPE_ADDRESS;
  }

  /** Nothing to stop accepting: the one connection stays until it closes or is told to. */
  stopListening(): void {}

  /** 1 while the connection is open, then 0. */
  get connectionCount(): number {
    return this.#open ? 1 : 0;
  }

  /** Tell the connection the server is stopping; resolves once it closed. */
  closeConnections(reason: Error = new ServerStoppingError()): Promise<void> {
    if (this.#open) tellServerStopping(this.#protocol, reason);
    return this.closed;
  }

  /** Abort the connection. */
  abortConnections(): void {
    this.#transport.abortConnection();
  }
}
