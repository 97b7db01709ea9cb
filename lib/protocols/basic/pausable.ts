// Tests: tests/protocols/basic/line-receiver.test.ts, tests/protocols/basic/int-string-receiver.test.ts
import { Buffer } from 'node:buffer';
import { Protocol } from '../protocol.js';
import type { IPushProducer } from '../transport.js';

const EMPTY = Buffer.alloc(0);

/**
 * A protocol that is its own push producer, as Twisted's `_PauseableMixin`:
 * while {@link paused} it buffers what it receives instead of delivering
 * it, and it pauses/resumes its transport's reading along with itself.
 */
export class PausableProtocol extends Protocol implements IPushProducer {
  /** True while delivery is paused (or stopped). */
  paused = false;

  /** Stop delivering received data, and pause the transport's reading. */
  pauseProducing(): void {
    this.paused = true;
    this.transport?.pauseProducing();
  }

  /** Resume the transport's reading and deliver what was buffered meanwhile. */
  resumeProducing(): void {
    this.paused = false;
    this.transport?.resumeProducing();
    this.dataReceived(EMPTY);
  }

  /** Stop delivering for good, and tell the transport to stop producing. */
  stopProducing(): void {
    this.paused = true;
    this.transport?.stopProducing();
  }
}
