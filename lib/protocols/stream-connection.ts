// Tests: tests/protocols/stream-connection.test.ts, tests/protocols/stream-connection-batching.test.ts, tests/protocols/connection-conformance.ts
import { AbortError, isThenable } from '../defer/index.js';
import type { Failure } from '../failure/index.js';
import { Logger } from '../log/index.js';
import { type IDelayedCall, type IReactorTime, reactor } from '../time/index.js';
import { type ChunkSink, type DirectChunkReader, readDirect } from './framing/direct-read.js';
import { isAsyncIterable } from './async-iterable.js';
import { describePeer, isClientMistake, logClientMistake } from './client-mistake.js';
import type { Address } from './address.js';
import { abortable } from './abortable.js';
import type { Connection, StreamProtocol, WriteOptions } from './connection.js';
import {
  ConnectionAborted,
  ConnectionClosedError,
  ConnectionDone,
  ConnectionLost,
} from './errors.js';
import { GeneratorPump } from './generator-pump.js';
import { publishHandlerFailure } from './handler-failure.js';
import { Protocol } from './protocol.js';
import { ReadBuffer } from './read-buffer.js';
import type { IServerStoppingProtocol } from './server-stopping.js';
import {
  type Data,
  type IHalfCloseableProtocol,
  type IPushProducer,
  isTLSTransport,
  type StartTLSOptions,
} from './transport.js';
import { nextTurn, TurnBudget } from './turn.js';
import { sizeOf } from './write-buffer.js';
import { YieldBatch } from './yield-batch.js';

const log = new Logger('woven.protocols');

/** Options of a {@link StreamConnection}. */
export interface StreamConnectionOptions {
  /**
   * Bytes received but not yet read above which the transport is told to stop
   * reading (default 65536); reading resumes once the reader drains half.
   */
  readHighWaterMark?: number;
  /** Yielded bytes collected into one transport write, at most (default 65536). */
  batchBytes?: number;
  /**
   * Keep the write side open after the peer's EOF even without a running
   * generator handler (default false: the connection then closes gracefully).
   */
  allowHalfOpen?: boolean;
  /**
   * Seconds the graceful close after a client's framing error may take to
   * flush the replies already yielded (default 30); a peer that does not
   * read them by then has its connection aborted, so it cannot hold it open.
   */
  closeTimeout?: number;
  /** The clock {@link closeTimeout} runs on (default: the global `reactor`). */
  clock?: IReactorTime;
}

/** Default of {@link StreamConnectionOptions.closeTimeout}, in seconds. */
export const DEFAULT_CLOSE_TIMEOUT = 30;

/** {@link StreamConnectionOptions} with the defaults filled in. */
interface Settings {
  readonly readHigh: number;
  readonly batchMax: number;
  readonly allowHalfOpen: boolean;
  readonly closeTimeout: number;
  readonly clock: IReactorTime;
}

const NO_OPTIONS: StreamConnectionOptions = Object.freeze({});

function settingsOf(options: StreamConnectionOptions): Settings {
  const closeTimeout = options.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT;
  if (!(closeTimeout >= 0)) {
    throw new RangeError(
      `closeTimeout must be a non-negative number of seconds, not ${closeTimeout}`,
    );
  }
  return {
    readHigh: options.readHighWaterMark ?? 65536,
    batchMax: options.batchBytes ?? 65536,
    allowHalfOpen: options.allowHalfOpen ?? false,
    closeTimeout,
    clock: options.clock ?? reactor,
  };
}

/** Settings per options object: a factory's connections share one. */
const settingsCache = new WeakMap<StreamConnectionOptions, Settings>();

function settingsFor(options: StreamConnectionOptions): Settings {
  let settings = settingsCache.get(options);
  if (settings === undefined) {
    settings = settingsOf(options);
    settingsCache.set(options, settings);
  }
  return settings;
}

/** A `next()` of the chunk iterator waiting for a chunk. */
class PromiseSink implements ChunkSink {
  readonly resolve: (r: IteratorResult<Uint8Array>) => void;
  readonly reject: (e: unknown) => void;
  constructor(resolve: (r: IteratorResult<Uint8Array>) => void, reject: (e: unknown) => void) {
    this.resolve = resolve;
    this.reject = reject;
  }
  chunk(data: Uint8Array): void {
    this.resolve({ value: data, done: false });
  }
  end(error: Error | null): void {
    if (error === null) this.resolve(DONE);
    else this.reject(error);
  }
}

const RESOLVED: Promise<void> = Promise.resolve();
const DONE: IteratorResult<Uint8Array> = Object.freeze({ value: undefined, done: true });
const noop = (): void => {};

/** A rejected promise that is harmless if nobody awaits it. */
function rejected<T>(error: unknown): Promise<T> {
  const p = Promise.reject(error);
  p.catch(noop);
  return p as Promise<T>;
}

/** The loss as a ConnectionDone / ConnectionLost instance. */
function lossError(reason: Failure | undefined, abortReason: unknown): Error {
  if (abortReason !== undefined) {
    return abortReason instanceof ConnectionLost
      ? abortReason
      : new ConnectionAborted(undefined, { cause: abortReason });
  }
  const v = reason?.value;
  if (v instanceof ConnectionDone || v instanceof ConnectionLost) return v;
  return new ConnectionLost(undefined, { cause: v });
}

/**
 * The adapter that runs a stream-style protocol over any {@link ITransport}:
 * a classic {@link Protocol} on the transport side, a {@link Connection} on
 * the user side. Transports and endpoints build one per connection; without
 * a handler the connection stays open until its user closes it.
 *
 * @example
 * ```ts
 * const factory = toFactory(async function* (conn) {
 *   for await (const chunk of conn) yield chunk;
 * }); // builds StreamConnections running the generator
 * ```
 */
export class StreamConnection
  extends Protocol
  implements Connection, IHalfCloseableProtocol, IServerStoppingProtocol, AsyncIterable<Uint8Array>
{
  readonly #handler: StreamProtocol | undefined;
  /** The options, defaults filled in (one object shared by every connection without options). */
  readonly #settings: Settings;

  // Read side: chunks received and not yet read, and readers waiting for one.
  readonly #reading = new ReadBuffer();
  #readPaused = false;

  // Write side.
  #writePaused = false;
  /** Writers waiting for the transport to drain (made on first need: idle connections are many). */
  #drainWaiters: (() => void)[] | null = null;
  #writeClosed = false;
  /** What the generator yielded and was not yet handed to the transport (made on first need). */
  #batch: YieldBatch | null = null;
  /** This turn's work: past the budget, writers and the generator wait for the next turn. */
  #budget: TurnBudget | null = null;

  // Lifecycle.
  #lost: Error | null = null;
  #abortReason: unknown;
  #controller: AbortController | undefined;
  #closed: Promise<void> | undefined;
  #resolveClosed: (() => void) | undefined;
  /** The running generator handler's pump. */
  #generator: GeneratorPump | undefined;
  /** An async-function handler is running (a generator is {@link #generator}). */
  #awaitingHandler = false;
  /** Why {@link serverStopping} was called, until the connection is lost. */
  #stopReason: Error | undefined;
  /** The abort due if the graceful close after a framing error takes too long. */
  #closeDeadline: IDelayedCall | undefined;

  /**
   * @param handler the stream protocol to run once connected; without one,
   *   the connection stays open until closed through its methods.
   */
  constructor(handler?: StreamProtocol, options: StreamConnectionOptions = NO_OPTIONS) {
    super();
    this.#handler = handler;
    this.#settings = settingsFor(options);
  }

  // --- Protocol side (called by the transport) ---

  /** Registers for write backpressure, then starts the handler, if any. */
  override connectionMade(): void {
    this.transport!.registerProducer(new StreamConnection.#WriteProducer(this), true);
    if (this.#handler) this.#run(this.#handler);
  }

  /** Queues `data` for the reader, pausing the transport when too much is waiting. */
  override dataReceived(data: Uint8Array): void {
    if (this.#stopReason !== undefined) return; // the server is stopping: reading has ended
    const kept = this.#reading.push(data);
    if (kept > this.#settings.readHigh && !this.#readPaused && this.#lost === null) {
      this.#readPaused = true;
      this.transport!.pauseProducing();
    }
  }

  /**
   * The peer sent EOF: reading ends cleanly. A running generator handler may
   * still yield (half-close), and so may users who asked for
   * `allowHalfOpen`; otherwise the connection closes gracefully, as Node's
   * sockets do by default.
   */
  readConnectionLost(): void {
    if (this.#reading.end === null) this.#reading.finish(new ConnectionDone());
    if (this.#lost !== null) return;
    if (this.#writeClosed)
      this.transport!.loseConnection(); // both halves are done
    else if (!this.#generator && !this.#settings.allowHalfOpen) this.close();
  }

  /** Our write side was half-closed; nothing to do. */
  writeConnectionLost(): void {}

  /** Ends reading (cleanly or with `ConnectionLost`), aborts {@link signal}, resolves {@link closed}. */
  override connectionLost(reason: Failure): void {
    if (this.#lost !== null) return;
    const error = lossError(reason, this.#abortReason);
    this.#lost = error;
    this.connected = false;
    if (this.#closeDeadline?.active()) this.#closeDeadline.cancel();
    this.#writeClosed = true;
    this.#batch?.clear();
    if (this.#reading.end === null) this.#reading.finish(error);
    this.#resumeWriting();
    this.#controller?.abort(error);
    this.#resolveClosed?.();
    const pump = this.#generator;
    if (pump) {
      this.#generator = undefined;
      pump.finish(error);
    }
  }

  /**
   * The server is stopping: {@link signal} aborts with `reason`, reading
   * stops and the iteration ends (after the chunks already received) as at
   * a clean EOF, while writing still works, so a running handler can finish
   * its reply; the connection closes when it returns. Without a running
   * handler the connection closes gracefully at once.
   */
  serverStopping(reason: Error): void {
    if (this.#lost !== null || this.#stopReason !== undefined) return;
    this.#stopReason = reason;
    this.#controller?.abort(reason);
    if (this.#reading.end === null) this.#reading.finish(new ConnectionDone());
    if (!this.#readPaused) {
      this.#readPaused = true;
      this.transport!.pauseProducing();
    }
    if (!this.#generator && !this.#awaitingHandler) this.close();
  }

  // --- Connection side (called by the user) ---

  /** Async-iterates the received chunks. `break` leaves the connection open. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return new StreamConnection.#Reader(this);
  }

  // Small classes rather than closures: one field per connection instead of
  // a context and a function per method (idle connections are many).

  /** What the transport pauses and resumes as its write buffer fills and drains. */
  static readonly #WriteProducer = class implements IPushProducer {
    readonly #conn: StreamConnection;
    constructor(conn: StreamConnection) {
      this.#conn = conn;
    }
    pauseProducing(): void {
      this.#conn.#writePaused = true;
    }
    resumeProducing(): void {
      this.#conn.#resumeWriting();
    }
    stopProducing(): void {
      this.#conn.#resumeWriting();
    }
  };

  /** The iterator of received chunks; `return()` (a `break`) leaves the connection open. */
  static readonly #Reader = class implements AsyncIterator<Uint8Array>, DirectChunkReader {
    readonly #conn: StreamConnection;
    constructor(conn: StreamConnection) {
      this.#conn = conn;
    }
    next(): Promise<IteratorResult<Uint8Array>> {
      return this.#conn.#read();
    }
    [readDirect](sink: ChunkSink): Uint8Array | null | undefined {
      return this.#conn.#readDirect(sink);
    }
    return(): Promise<IteratorResult<Uint8Array>> {
      return Promise.resolve(DONE);
    }
  };

  /**
   * Send `data`; resolves once accepted below the transport's high-water
   * mark, and no sooner than the next turn of the event loop once this
   * connection has written its share of this turn (see `TurnBudget`).
   * `options.signal` gives up the wait (see {@link Connection.write}).
   */
  write(data: Data, options?: WriteOptions): Promise<void> {
    if (this.#writeClosed) return rejected(new ConnectionClosedError());
    const signal = options?.signal;
    if (signal?.aborted) return rejected(AbortError.fromSignal(signal));
    this.#flush();
    this.transport!.write(data);
    if (this.#writePaused) return signal === undefined ? this.#drained() : this.#drainedOr(signal);
    return this.#turnBudget().spend(sizeOf(data)) ? RESOLVED : nextTurn();
  }

  /** {@link #drained}, or an `AbortError` when `signal` aborts first (harmless if unawaited). */
  #drainedOr(signal: AbortSignal): Promise<void> {
    const waited = abortable(signal, () => this.#drained());
    waited.catch(noop);
    return waited;
  }

  /** Half-close after flushing: send `data` if given, then EOF. Reading goes on. */
  end(data?: Data): Promise<void> {
    if (this.#writeClosed) return data === undefined ? RESOLVED : this.write(data);
    this.#flush();
    const transport = this.transport!;
    if (data !== undefined) transport.write(data);
    this.#writeClosed = true;
    if (this.#reading.end !== null || !transport.loseWriteConnection) transport.loseConnection();
    else transport.loseWriteConnection();
    return this.#writePaused ? this.#drained() : RESOLVED;
  }

  /** Close gracefully after flushing; resolves once the connection is gone. */
  close(): Promise<void> {
    if (this.#lost === null) {
      this.#flush();
      this.#writeClosed = true;
      this.transport?.loseConnection();
    }
    return this.closed;
  }

  /** Close at once, dropping buffered data. `reason` becomes `signal.reason` (wrapped in `ConnectionAborted` unless already a `ConnectionLost`). */
  abort(reason?: unknown): void {
    if (this.#lost !== null) return;
    if (reason !== undefined && this.#abortReason === undefined) this.#abortReason = reason;
    this.#writeClosed = true;
    this.#batch?.clear();
    this.transport?.abortConnection();
  }

  /**
   * Aborted once the connection is lost (`reason`: a `ConnectionDone` or
   * `ConnectionLost`), or when its server stops (`ServerStoppingError`).
   */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      const reason = this.#stopReason ?? this.#lost;
      if (reason !== null) this.#controller.abort(reason);
    }
    return this.#controller.signal;
  }

  /** Resolves (never rejects) once the connection is gone. */
  get closed(): Promise<void> {
    if (!this.#closed) {
      if (this.#lost !== null) this.#closed = RESOLVED;
      else {
        this.#closed = new Promise((resolve) => {
          this.#resolveClosed = resolve;
        });
      }
    }
    return this.#closed;
  }

  /** This end's address. */
  get localAddress(): Address {
    return this.transport!.getHost();
  }

  /** The peer's address. */
  get remoteAddress(): Address {
    return this.transport!.getPeer();
  }

  /**
   * Switch the transport to TLS. Bytes received but not yet read are fed to
   * TLS after `pending`, so nothing read past the STARTTLS exchange is lost.
   */
  startTLS(options: StartTLSOptions, pending?: Uint8Array): Promise<void> {
    const transport = this.transport;
    if (this.#lost !== null || !transport) return rejected(new ConnectionClosedError());
    if (!isTLSTransport(transport)) {
      return rejected(new TypeError('this transport does not support startTLS'));
    }
    this.#flush();
    const unread = this.#reading.takeAll(pending);
    const started = transport.startTLS(options, unread);
    started.catch(noop); // a handshake failure reaches whoever awaits, and crashes nobody
    return started;
  }

  // --- internals ---

  #read(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.#reading.shift();
    if (chunk !== undefined) {
      this.#consumed();
      return Promise.resolve({ value: chunk, done: false });
    }
    const end = this.#reading.end;
    if (end !== null) return end instanceof ConnectionDone ? Promise.resolve(DONE) : rejected(end);
    this.#beforeWaiting();
    return new Promise((resolve, reject) => {
      this.#reading.wait(new PromiseSink(resolve, reject));
    });
  }

  /** {@link readDirect}: {@link #read} without promises (used by the framings). */
  #readDirect(sink: ChunkSink): Uint8Array | null | undefined {
    const chunk = this.#reading.shift();
    if (chunk !== undefined) {
      this.#consumed();
      return chunk;
    }
    const end = this.#reading.end;
    if (end !== null) {
      if (end instanceof ConnectionDone) return null;
      throw end;
    }
    this.#beforeWaiting();
    this.#reading.wait(sink);
    return undefined;
  }

  /** A chunk was read: resume reading once half of what paused it is gone. */
  #consumed(): void {
    if (this.#readPaused && this.#reading.buffered <= this.#settings.readHigh / 2) {
      this.#resumeReading();
    }
  }

  /** The reader is about to wait for input: what was yielded meanwhile goes out now. */
  #beforeWaiting(): void {
    this.#flush();
    if (this.#readPaused) this.#resumeReading();
  }

  #resumeReading(): void {
    if (this.#stopReason !== undefined) return; // the server is stopping: no more reading
    this.#readPaused = false;
    if (this.#lost === null) this.transport!.resumeProducing();
  }

  #drained(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#drainWaiters === null) this.#drainWaiters = [];
      this.#drainWaiters.push(resolve);
    });
  }

  #resumeWriting(): void {
    this.#writePaused = false;
    const waiters = this.#drainWaiters;
    if (waiters === null) return;
    this.#drainWaiters = null;
    for (const w of waiters) w();
  }

  /** This turn's work, counted from the first write or yield on. */
  #turnBudget(): TurnBudget {
    if (this.#budget === null) this.#budget = new TurnBudget();
    return this.#budget;
  }

  #enqueue(value: Data): void {
    if (this.#batch === null) this.#batch = new YieldBatch(this.transport!);
    this.#batch.push(value);
    this.#turnBudget().spend(sizeOf(value), 1);
    if (this.#batch.size >= this.#settings.batchMax) this.#batch.flush();
  }

  /** Hand what the generator yielded, if anything, to the transport now. */
  #flush(): void {
    this.#batch?.flush();
  }

  #run(handler: StreamProtocol): void {
    let result: ReturnType<StreamProtocol>;
    try {
      result = handler(this);
    } catch (e) {
      this.#fail(e);
      return;
    }
    if (isAsyncIterable<Data>(result)) {
      const pump = new StreamConnection.#Pump(this, result[Symbol.asyncIterator]());
      this.#generator = pump;
      pump.next();
    } else if (isThenable(result)) {
      this.#awaitingHandler = true;
      result.then(
        () => {
          this.#awaitingHandler = false;
          this.close();
        },
        (e) => {
          this.#awaitingHandler = false;
          this.#fail(e);
        },
      );
    }
  }

  /** The pump of a generator handler, with this connection's hooks. */
  static readonly #Pump = class extends GeneratorPump {
    readonly #conn: StreamConnection;
    constructor(conn: StreamConnection, gen: AsyncIterator<Data>) {
      super(gen);
      this.#conn = conn;
    }
    protected override get gone(): boolean {
      return this.#conn.#lost !== null; // connectionLost ended the generator
    }
    protected override get writeClosed(): boolean {
      return this.#conn.#writeClosed;
    }
    /** Writing is paused, or this turn's budget is spent (it goes on at the next turn). */
    protected override gate(): Promise<void> | null {
      const conn = this.#conn;
      if (!conn.#writePaused && !conn.#budget?.exhausted) return null;
      conn.#flush();
      return conn.#writePaused ? conn.#drained() : nextTurn();
    }
    protected override ran(): void {
      this.#conn.#batch?.flushSoon();
    }
    protected override take(value: Data): void {
      this.#conn.#enqueue(value);
    }
    protected override returned(): void {
      this.#conn.#generator = undefined;
      this.#conn.close();
    }
    protected override failed(error: unknown): void {
      this.#conn.#generator = undefined;
      this.#conn.#fail(error);
    }
    protected override stopped(): void {
      this.#conn.#generator = undefined;
    }
  };

  /** Close gracefully, aborting the connection if that takes more than `closeTimeout` seconds. */
  #closeWithin(reason: Error): void {
    void this.close();
    if (this.#lost !== null) return;
    const { clock, closeTimeout } = this.#settings;
    this.#closeDeadline = clock.callLater(closeTimeout, () => {
      log.info(
        'aborting the connection from {peer}: its replies were not read within {timeout} s',
        {
          peer: describePeer(this.transport?.getPeer()),
          timeout: closeTimeout,
        },
      );
      this.abort(reason);
    });
  }

  #fail(error: unknown): void {
    if (isClientMistake(error) && this.#lost === null) {
      // The peer's bad input: what was yielded before still goes out, then a graceful close.
      logClientMistake(this.transport?.getPeer(), error);
      this.#closeWithin(error);
      return;
    }
    // Failing because the connection itself was lost is not the protocol's fault.
    const consequence =
      this.#lost !== null &&
      (error instanceof ConnectionLost || error instanceof ConnectionClosedError);
    if (!consequence) {
      log.failure('stream protocol failed', error, { log_level: 'error' });
      publishHandlerFailure(error, this, 'stream');
    }
    this.abort(error);
  }
}
