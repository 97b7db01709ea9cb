export { ByteReader, type ByteReaderOptions, type ReadLimitOptions } from './byte-reader.js';
export { ChunkQueue } from './chunk-queue.js';
export {
  FrameTooLong,
  FramingError,
  StringTooLongError,
  UnexpectedEOF,
} from './errors.js';
export type { BatchOption } from './frame-stream.js';
export {
  checkPrefixBytes,
  encodeLengthPrefixed,
  type LengthPrefixedOptions,
  lengthPrefixed,
  type PrefixBytes,
  peekLength,
} from './length-prefixed.js';
export { lineLength, takeUntil } from './line-rule.js';
export { TextLines } from './text-lines.js';
export { type LinesOptions, lines, toDelimiter } from './lines.js';
export {
  encodeNetstring,
  type NetstringsOptions,
  netstrings,
  takeNetstring,
} from './netstrings.js';
export type { ByteSource } from './source-queue.js';
