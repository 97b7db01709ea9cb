// Tests: tests/protocols/framing/errors.test.ts
import { setErrorName, WovenError } from '../../failure/index.js';

/**
 * Malformed framed input: the bytes do not follow the framing's grammar
 * (a netstring without its colon or comma, say). `offset` is the byte offset
 * in the stream where the problem was found. The base class of
 * {@link FrameTooLong} and {@link UnexpectedEOF}, so one `catch` can handle
 * every framing failure.
 *
 * @example
 * ```ts
 * try {
 *   for await (const s of netstrings(conn)) handle(s);
 * } catch (e) {
 *   if (e instanceof FramingError) log.warn('bad peer at byte {offset}', { offset: e.offset });
 * }
 * ```
 */
export class FramingError extends WovenError {
  /** Byte offset in the stream (counted from its first byte) where the problem was found. */
  readonly offset: number;

  /** `message` says what was wrong; `offset` is where, in the stream. */
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }

  static {
    setErrorName(this, 'FramingError', 'ERR_FRAMING');
  }
}

/**
 * A frame longer than the allowed `maxLength`: a line with no delimiter
 * within the limit, or a length prefix over it. `offset` is where the
 * offending frame starts in the stream; `length` is its length as far as
 * known (the declared length, or the bytes seen so far).
 */
export class FrameTooLong extends FramingError {
  /** The limit that was exceeded, in bytes. */
  readonly maxLength: number;
  /** The frame's declared length, or the number of bytes seen without an end. */
  readonly length: number;

  /** See the class description for the meaning of each field. */
  constructor(message: string, offset: number, maxLength: number, length: number) {
    super(message, offset);
    this.maxLength = maxLength;
    this.length = length;
  }

  static {
    setErrorName(this, 'FrameTooLong', 'ERR_FRAME_TOO_LONG');
  }
}

/**
 * The stream ended in the middle of a frame. `partial` holds the bytes of
 * the unfinished frame (header included); `offset` is the offset of the end
 * of the stream, so the frame started at `offset - partial.length`.
 */
export class UnexpectedEOF extends FramingError {
  /** The bytes of the incomplete frame that were received before the end. */
  readonly partial: Uint8Array;

  /** See the class description for the meaning of each field. */
  constructor(message: string, offset: number, partial: Uint8Array) {
    super(message, offset);
    this.partial = partial;
  }

  static {
    setErrorName(this, 'UnexpectedEOF', 'ERR_UNEXPECTED_EOF');
  }
}

/**
 * A string too long for the length prefix it is to be sent with (256 bytes
 * or more with a 1-byte prefix, for example), as Twisted's
 * `StringTooLongError`.
 */
export class StringTooLongError extends WovenError {
  static {
    setErrorName(this, 'StringTooLongError', 'ERR_STRING_TOO_LONG');
  }
}
