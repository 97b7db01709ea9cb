import { describe, expect, it } from 'vitest';
import {
  FrameTooLong,
  FramingError,
  StringTooLongError,
  UnexpectedEOF,
  WovenError,
} from '../../../lib/index.js';

describe('framing errors', () => {
  it('have stable names and codes and share FramingError as their base', () => {
    const tooLong = new FrameTooLong('too long', 10, 5, 7);
    const eof = new UnexpectedEOF('eof', 3, new Uint8Array([1, 2]));
    const bad = new FramingError('bad', 4);
    expect([bad.name, bad.code]).toEqual(['FramingError', 'ERR_FRAMING']);
    expect([tooLong.name, tooLong.code]).toEqual(['FrameTooLong', 'ERR_FRAME_TOO_LONG']);
    expect([eof.name, eof.code]).toEqual(['UnexpectedEOF', 'ERR_UNEXPECTED_EOF']);
    for (const e of [bad, tooLong, eof]) {
      expect(e).toBeInstanceOf(FramingError);
      expect(e).toBeInstanceOf(WovenError);
    }
    expect(new StringTooLongError('x').code).toBe('ERR_STRING_TOO_LONG');
  });

  it('carry the offset, the limit and the partial bytes', () => {
    const tooLong = new FrameTooLong('too long', 10, 5, 7);
    expect([tooLong.offset, tooLong.maxLength, tooLong.length]).toEqual([10, 5, 7]);
    const eof = new UnexpectedEOF('eof', 3, new Uint8Array([1, 2]));
    expect([eof.offset, [...eof.partial]]).toEqual([3, [1, 2]]);
  });
});
