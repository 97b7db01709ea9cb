// Tests: tests/protocols/policies/throttle.test.ts
import { AbortError, type IReactorTime } from '../../defer/index.js';
import { reactor } from '../../time/index.js';
import type { Address } from '../address.js';
import type { Connection, WriteOptions } from '../connection.js';
import { type Data, type StartTLSOptions, toBytes } from '../transport.js';
import { TokenBucket } from './token-bucket.js';

/** Options of {@link throttle}; a missing limit means none. */
export interface ThrottleOptions {
  /** The most bytes per second read from the connection. */
  readLimit?: number;
  /** The most bytes per second written to it. */
  writeLimit?: number;
  /** The clock the rate is kept on (default: the global `reactor`). */
  clock?: IReactorTime;
}

/**
 * Paces bytes at `rate` per second on `clock` (a {@link TokenBucket} that
 * starts empty): whoever spends waits until the bytes are paid for. An idle
 * spell earns at most one second's worth of burst.
 */
class Pacer {
  readonly #bucket: TokenBucket;

  constructor(
    readonly rate: number,
    readonly clock: IReactorTime,
  ) {
    this.#bucket = new TokenBucket(rate, clock, rate, 0);
  }

  /** The largest slice to send at once: a tenth of a second's worth, at least 1 byte. */
  get slice(): number {
    return Math.max(1, Math.floor(this.rate / 10));
  }

  /**
   * Spend `bytes`; resolves once the pace allows more, or at once when one
   * of `signals` aborts (their listeners are removed either way).
   */
  spend(bytes: number, signals: readonly AbortSignal[]): Promise<void> {
    const wait = this.#bucket.spend(bytes);
    if (wait <= 0 || signals.some((s) => s.aborted)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        for (const s of signals) s.removeEventListener('abort', done);
        if (call.active()) call.cancel();
        resolve();
      };
      const call = this.clock.callLater(wait, done);
      for (const s of signals) s.addEventListener('abort', done, { once: true });
    });
  }
}

function checkRate(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value > 0)) throw new RangeError(`throttle ${name} must be > 0 bytes/s, got ${value}`);
  return value;
}

/** The Connection {@link throttle} returns. */
class ThrottledConnection implements Connection {
  readonly #inner: Connection;
  readonly #reads: Pacer | undefined;
  readonly #writes: Pacer | undefined;

  constructor(inner: Connection, options: ThrottleOptions) {
    const clock = options.clock ?? reactor;
    const read = checkRate('readLimit', options.readLimit);
    const write = checkRate('writeLimit', options.writeLimit);
    this.#inner = inner;
    this.#reads = read === undefined ? undefined : new Pacer(read, clock);
    this.#writes = write === undefined ? undefined : new Pacer(write, clock);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for await (const chunk of this.#inner) {
      yield chunk;
      // Not pulling the next chunk is what holds the socket's reading.
      await this.#reads?.spend(chunk.byteLength, [this.#inner.signal]);
    }
  }

  async write(data: Data, options?: WriteOptions): Promise<void> {
    const pacer = this.#writes;
    if (pacer === undefined) return this.#inner.write(data, options);
    const bytes = toBytes(data);
    const signal = options?.signal;
    const waitUntil = signal === undefined ? [this.#inner.signal] : [this.#inner.signal, signal];
    let at = 0;
    do {
      const slice = bytes.subarray(at, at + pacer.slice);
      await this.#inner.write(slice, options);
      await pacer.spend(slice.byteLength, waitUntil);
      if (signal?.aborted) throw AbortError.fromSignal(signal);
      at += slice.byteLength;
    } while (at < bytes.byteLength);
  }

  end(data?: Data): Promise<void> {
    if (data === undefined) return this.#inner.end();
    return this.write(data).then(() => this.#inner.end());
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  abort(reason?: unknown): void {
    this.#inner.abort(reason);
  }

  get signal(): AbortSignal {
    return this.#inner.signal;
  }

  get closed(): Promise<void> {
    return this.#inner.closed;
  }

  get localAddress(): Address {
    return this.#inner.localAddress;
  }

  get remoteAddress(): Address {
    return this.#inner.remoteAddress;
  }

  startTLS(options: StartTLSOptions, pending?: Uint8Array): Promise<void> {
    return this.#inner.startTLS(options, pending);
  }
}

/**
 * The stream-style counterpart of {@link ThrottlingFactory}, for one
 * connection (a server's or a client's): a {@link Connection} that reads
 * and writes through `conn` at no more than `readLimit` and `writeLimit`
 * bytes per second on `clock`. Reading is paced by pulling chunks no faster
 * than the limit (the socket stops reading meanwhile); `write()` sends in
 * slices of a tenth of a second's worth and resolves once the pace allows
 * the next, so a loop of awaited writes runs at the limit. An idle spell
 * earns at most one second of burst. Write to the throttled connection, not
 * by yielding from the handler (yields go to `conn` directly).
 *
 * @example
 * ```ts
 * await listen('tcp:8000', async (conn) => {
 *   const slow = throttle(conn, { writeLimit: 2 ** 20 }); // 1 MiB/s
 *   for (const block of blocks) await slow.write(block);
 *   await slow.close();
 * });
 * ```
 */
export function throttle(conn: Connection, options: ThrottleOptions): Connection {
  return new ThrottledConnection(conn, options);
}
