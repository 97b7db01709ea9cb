// Tests: tests/protocols/basic/line-receiver.test.ts, tests/protocols/basic/line-only-receiver.test.ts
import { Buffer } from 'node:buffer';
import { FrameTooLong, toDelimiter } from '../framing/index.js';
import { type Data, type ITransport, toBytes } from '../transport.js';
import { logClientMistake } from '../client-mistake.js';

/**
 * The bytes of a protocol's `delimiter` attribute, converted once per value
 * (the attribute may be a string or bytes, and may change at any time).
 */
export class DelimiterCache {
  #value: Data | null = null;
  #bytes: Buffer = Buffer.alloc(0);

  /** `delimiter` as bytes (the same object while the value is unchanged). */
  bytes(delimiter: Data): Buffer {
    if (delimiter !== this.#value) {
      this.#bytes = toDelimiter(delimiter);
      this.#value = delimiter;
    }
    return this.#bytes;
  }
}

/**
 * `line` followed by `delimiter`, as one piece (one write): a string when
 * both are strings (the transport then encodes it once, with the rest of the
 * turn's writes), else one buffer. `delimiterBytes` is `delimiter` as bytes.
 */
export function withDelimiter(line: Data, delimiter: Data, delimiterBytes: Buffer): Data {
  if (typeof line === 'string' && typeof delimiter === 'string' && !isLowSurrogate(delimiter)) {
    return line + delimiter;
  }
  const bytes = toBytes(line);
  const out = Buffer.allocUnsafe(bytes.length + delimiterBytes.length);
  bytes.copy(out, 0);
  delimiterBytes.copy(out, bytes.length);
  return out;
}

/** Whether `text` starts with a low surrogate, which joined to a string ending in a high one would encode differently. */
function isLowSurrogate(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 0xdc00 && c <= 0xdfff;
}

/** True when `transport` says it is closing (Twisted's `transport.disconnecting`). */
export function isDisconnecting(transport: object | null): boolean {
  return (transport as { disconnecting?: boolean } | null)?.disconnecting === true;
}

/**
 * The receivers' default answer to a line over `maxLength`: log the peer's
 * mistake (one info line, no stack) and close the connection gracefully.
 */
export function closeOnLongLine(
  transport: ITransport | null | undefined,
  maxLength: number,
  line: Uint8Array,
): undefined {
  logClientMistake(
    transport?.getPeer(),
    new FrameTooLong(
      `line longer than MAX_LENGTH (${maxLength} bytes)`,
      0,
      maxLength,
      line.byteLength,
    ),
  );
  transport?.loseConnection();
  return undefined;
}
