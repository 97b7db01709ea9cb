// Shared by the endpoint tests that use real sockets and the TLS fixtures.
import { join } from 'node:path';
import { Protocol, quoteStringArgument } from '../../lib/index.js';

/** The directory of the test certificate (`localhost.crt`) and key (`localhost.key`). */
export const fixtures = join(import.meta.dirname, '..', 'fixtures', 'tls');
/** The key and certificate paths, quoted for use in a description. */
export const keyArg = quoteStringArgument(join(fixtures, 'localhost.key'));
export const certArg = quoteStringArgument(join(fixtures, 'localhost.crt'));

/** A classic client that collects what it receives. */
export class Collector extends Protocol {
  received = '';
  #wake: (() => void) | undefined;

  override dataReceived(data: Uint8Array): void {
    this.received += Buffer.from(data).toString();
    this.#wake?.();
  }

  /** Resolve once `n` characters have arrived (bounded wait in 100 chunks). */
  async receivedAtLeast(n: number): Promise<void> {
    for (let i = 0; i < 100 && this.received.length < n; i++) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}
