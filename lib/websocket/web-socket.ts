// Tests: tests/websocket/websocket.test.ts
import type { WebSocket } from 'ws';
import { ConnectionClosedError } from '../protocols/index.js';

/** A message: text frames arrive as strings, binary frames as `Uint8Array`s. */
export type WebSocketMessage = string | Uint8Array;

/** How a WebSocket closed: the close frame's code and reason (1006 with no frame). */
export interface WebSocketCloseInfo {
  code: number;
  reason: string;
}

/** Options of a {@link WebSocketConnection}. */
export interface WebSocketConnectionOptions {
  /** Received messages buffered unread before reading from the socket pauses (default 16). */
  highWaterMark?: number;
  /**
   * Bytes of received messages buffered unread before reading from the
   * socket pauses (default {@link DEFAULT_MAX_UNREAD_BYTES}, 1 MiB); reading
   * resumes once the handler has read them below half. With `maxPayload`
   * this bounds what one connection whose handler never reads can hold to
   * about `maxUnreadBytes + maxPayload`.
   */
  maxUnreadBytes?: number;
}

/** The default {@link WebSocketConnectionOptions.maxUnreadBytes}: 1 MiB. */
export const DEFAULT_MAX_UNREAD_BYTES = 1024 * 1024;

/**
 * woven's default largest message (`ws`'s `maxPayload`) on both sides:
 * 1 MiB, instead of `ws`'s 100 MiB, which no server can afford per
 * connection. A larger message closes the WebSocket with 1009.
 */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

const OPEN = 1;

/**
 * One WebSocket, in woven's stream style: an async iterable of the received
 * messages (text as `string`, binary as `Uint8Array`) with a
 * promise-returning `send`. Iteration ends when the WebSocket closes (it
 * throws if the socket failed with a protocol error); reading is
 * pull-based, so a consumer that stops reading stops the socket being read.
 * `break` leaves the WebSocket open. Made by `webSocketServer` and
 * `connectWebSocket`, over woven's own transports.
 *
 * @example
 * ```ts
 * const ws = await connectWebSocket('ws://127.0.0.1:8080/chat');
 * await ws.send('hello');
 * for await (const message of ws) console.log(message);
 * console.log(await ws.closed); // { code: 1000, reason: '' }
 * ```
 */
export class WebSocketConnection implements AsyncIterable<WebSocketMessage> {
  readonly #ws: WebSocket;
  readonly #highWaterMark: number;
  readonly #maxUnreadBytes: number;
  readonly #messages: WebSocketMessage[] = [];
  #unreadBytes = 0;
  readonly #waiters: {
    resolve(r: IteratorResult<WebSocketMessage>): void;
    reject(e: unknown): void;
  }[] = [];
  #ended = false;
  #error: Error | undefined;
  #paused = false;
  readonly #closed: Promise<WebSocketCloseInfo>;

  /** Wrap a `ws` WebSocket (open or still connecting). */
  constructor(ws: WebSocket, options: WebSocketConnectionOptions = {}) {
    this.#ws = ws;
    this.#highWaterMark = options.highWaterMark ?? 16;
    this.#maxUnreadBytes = options.maxUnreadBytes ?? DEFAULT_MAX_UNREAD_BYTES;
    ws.on('message', (data, isBinary) =>
      this.#receive(isBinary ? messageBytes(data) : toText(data)),
    );
    ws.on('error', (error) => {
      this.#error ??= error;
    });
    this.#closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.#end();
        resolve({ code, reason: reason.toString('utf8') });
      });
    });
  }

  /** The subprotocol the server selected (`''` when none). */
  get protocol(): string {
    return this.#ws.protocol;
  }

  /** The underlying `ws` WebSocket, for what this class does not cover. */
  get webSocket(): WebSocket {
    return this.#ws;
  }

  /** Resolves once the WebSocket is closed, with its close code and reason; never rejects. */
  get closed(): Promise<WebSocketCloseInfo> {
    return this.#closed;
  }

  /**
   * Send a message: a string as a text frame, bytes as a binary frame.
   * Resolves once written to the connection (so awaiting each send bounds
   * what is buffered); rejects with `ConnectionClosedError` if the
   * WebSocket is not open (harmless if nobody awaits it).
   */
  send(data: WebSocketMessage | ArrayBuffer): Promise<void> {
    const sent =
      this.#ws.readyState !== OPEN
        ? Promise.reject(new ConnectionClosedError('the WebSocket is not open'))
        : new Promise<void>((resolve, reject) => {
            this.#ws.send(data, { binary: typeof data !== 'string' }, (error) =>
              error ? reject(error) : resolve(),
            );
          });
    sent.catch(() => {}); // harmless if nobody awaits it
    return sent;
  }

  /**
   * Start the closing handshake with `code` (default 1000) and `reason`;
   * resolves with how it closed (see {@link closed}). Reading resumes if it
   * was paused, so the peer's close frame is reached; messages still
   * arriving can be iterated.
   */
  close(code = 1000, reason = ''): Promise<WebSocketCloseInfo> {
    if (this.#ws.readyState <= OPEN) this.#ws.close(code, reason);
    if (this.#paused) {
      // the peer's close frame may be behind unread data: read on to reach it
      this.#paused = false;
      this.#ws.resume();
    }
    return this.#closed;
  }

  /** Iterate the received messages; `break` leaves the WebSocket open. */
  [Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
    return {
      next: () => this.#next(),
      return: () => Promise.resolve({ done: true, value: undefined }),
    };
  }

  #receive(message: WebSocketMessage): void {
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve({ done: false, value: message });
      return;
    }
    this.#messages.push(message);
    this.#unreadBytes += sizeOf(message);
    const full =
      this.#messages.length >= this.#highWaterMark || this.#unreadBytes >= this.#maxUnreadBytes;
    if (full && !this.#paused) {
      this.#paused = true;
      this.#ws.pause();
    }
  }

  #next(): Promise<IteratorResult<WebSocketMessage>> {
    const message = this.#messages.shift();
    if (message !== undefined) {
      this.#unreadBytes -= sizeOf(message);
      const drained =
        this.#messages.length < this.#highWaterMark / 2 &&
        this.#unreadBytes < this.#maxUnreadBytes / 2;
      if (this.#paused && drained) {
        this.#paused = false;
        this.#ws.resume();
      }
      return Promise.resolve({ done: false, value: message });
    }
    if (this.#ended)
      return this.#error
        ? Promise.reject(this.#error)
        : Promise.resolve({ done: true, value: undefined });
    if (this.#paused) {
      this.#paused = false;
      this.#ws.resume();
    }
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
    });
  }

  #end(): void {
    this.#ended = true;
    for (const waiter of this.#waiters.splice(0)) {
      if (this.#error) waiter.reject(this.#error);
      else waiter.resolve({ done: true, value: undefined });
    }
  }
}

/** A message's size in bytes as buffered (a string's UTF-16 length counts twice). */
function sizeOf(message: WebSocketMessage): number {
  return typeof message === 'string' ? message.length * 2 : message.byteLength;
}

function messageBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : data;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function toText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(messageBytes(data)).toString('utf8');
}
