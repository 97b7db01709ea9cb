// The producer bookkeeping of a consumer (Twisted's IConsumer): which producer
// is registered, whether it streams, whether we paused it. Shared by the
// socket transports and the in-memory transports of `testing`, which differ
// only in when their buffers are full.
// Tests: tests/protocols/producer-slot.test.ts, tests/transports/backpressure.test.ts
import { Logger } from '../log/index.js';
import { ProducerRegisteredError } from './errors.js';
import type { IPullProducer, IPushProducer } from './transport.js';

const log = new Logger('woven.protocols.producer');

/**
 * The one producer a consumer may have registered: a streaming
 * ({@link IPushProducer}) one is paused while the consumer's buffer is full
 * and resumed when it drains; a pull ({@link IPullProducer}) one is asked for
 * one more chunk whenever the consumer has room.
 */
export class ProducerSlot {
  #producer: IPushProducer | IPullProducer | null = null;
  #streaming = false;
  #paused = false;

  /** True while a producer is registered. */
  get registered(): boolean {
    return this.#producer !== null;
  }

  /** True while a streaming producer is registered. */
  get streaming(): boolean {
    return this.#producer !== null && this.#streaming;
  }

  /** True while a pull producer is registered. */
  get pulling(): boolean {
    return this.#producer !== null && !this.#streaming;
  }

  /** True while a streaming producer is registered and paused by {@link pause}. */
  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Register `producer`, or, when the consumer is already `closed`, stop it
   * at once (and return false). Throws {@link ProducerRegisteredError} if a
   * producer is registered already.
   */
  register(producer: IPushProducer | IPullProducer, streaming: boolean, closed: boolean): boolean {
    if (this.#producer !== null) {
      throw new ProducerRegisteredError(
        'Cannot register a producer: another one is registered and was never unregistered',
      );
    }
    if (closed) {
      producer.stopProducing();
      return false;
    }
    this.#producer = producer;
    this.#streaming = streaming;
    this.#paused = false;
    return true;
  }

  /** Forget the registered producer. */
  unregister(): void {
    this.#producer = null;
    this.#paused = false;
  }

  /** The consumer's buffer is full: pause a streaming producer (once). */
  pause(): void {
    if (!this.streaming || this.#paused) return;
    this.#paused = true;
    (this.#producer as IPushProducer).pauseProducing();
  }

  /** The consumer's buffer has drained: resume a streaming producer paused by {@link pause}. */
  resume(): void {
    if (!this.#paused || this.#producer === null) return;
    this.#paused = false;
    (this.#producer as IPushProducer).resumeProducing();
  }

  /** Ask a pull producer for one more chunk; true if there was one to ask. */
  pull(): boolean {
    const producer = this.#producer;
    if (producer === null || this.#streaming) return false;
    producer.resumeProducing();
    return true;
  }

  /** The consumer is gone: forget the producer and stop it (an error it throws is logged). */
  stop(): void {
    const producer = this.#producer;
    this.unregister();
    if (producer === null) return;
    try {
      producer.stopProducing();
    } catch (error) {
      log.failure('Error in stopProducing', error);
    }
  }
}
