import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EndpointDescriptionError,
  parseDescription,
  quoteStringArgument,
} from '../../lib/index.js';

describe('parseDescription', () => {
  it('splits positional arguments on colons, the prefix first', () => {
    expect(parseDescription('tcp:8080')).toEqual({ args: ['tcp', '8080'], kwargs: {} });
  });

  it('takes key=value parts as keyword arguments, wherever they appear', () => {
    const { args, kwargs } = parseDescription('a:b:d=1:c');
    expect(args).toEqual(['a', 'b', 'c']);
    expect({ ...kwargs }).toEqual({ d: '1' });
  });

  it('keeps an = after the first one as part of the value', () => {
    const { kwargs } = parseDescription('x:greeting=hello=world');
    expect({ ...kwargs }).toEqual({ greeting: 'hello=world' });
  });

  it('treats a backslash-escaped colon as part of the argument', () => {
    const { args, kwargs } = parseDescription('ssl:443:privateKey=C\\:/key.pem:x\\:y');
    expect(args).toEqual(['ssl', '443', 'x:y']);
    expect(kwargs.privateKey).toBe('C:/key.pem');
  });

  it('treats an escaped = as part of a positional argument, not a keyword', () => {
    expect(parseDescription('unix:/tmp/a\\=b').args).toEqual(['unix', '/tmp/a=b']);
  });

  it('turns a double backslash into one backslash', () => {
    expect(parseDescription('x:a\\\\b').args).toEqual(['x', 'a\\b']);
  });

  it('keeps empty arguments', () => {
    expect(parseDescription('tcp:').args).toEqual(['tcp', '']);
    expect(parseDescription('tcp::80').args).toEqual(['tcp', '', '80']);
  });

  it('lets a later key=value replace an earlier one', () => {
    expect(parseDescription('tcp:port=1:port=2').kwargs.port).toBe('2');
  });

  it('returns keyword arguments without inherited keys', () => {
    const { kwargs } = parseDescription('x:__proto__=1');
    expect(Object.keys(kwargs)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(kwargs, '__proto__')?.value).toBe('1');
  });

  it('rejects a description ending in a lone backslash', () => {
    expect(() => parseDescription('tcp:80\\')).toThrow(EndpointDescriptionError);
    try {
      parseDescription('tcp:80\\');
    } catch (e) {
      expect((e as EndpointDescriptionError).code).toBe('ERR_ENDPOINT_DESCRIPTION');
    }
  });
});

describe('quoteStringArgument', () => {
  it('escapes backslashes and colons as Twisted does', () => {
    expect(quoteStringArgument('some\\:string')).toBe('some\\\\\\:string');
  });

  it('round-trips any positional and keyword value through parseDescription', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (positional, value) => {
        const parsed = parseDescription(
          `x:${quoteStringArgument(positional)}:key=${quoteStringArgument(value)}`,
        );
        expect(parsed.args).toEqual(['x', positional]);
        expect(parsed.kwargs.key).toBe(value);
      }),
    );
  });

  it('never lets parseDescription throw on a quoted argument', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 5 }), (parts) => {
        const desc = ['p', ...parts.map(quoteStringArgument)].join(':');
        expect(parseDescription(desc).args).toEqual(['p', ...parts]);
      }),
    );
  });
});
