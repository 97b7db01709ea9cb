import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clientFromString,
  EndpointDescriptionError,
  MemoryReactor,
  serverFromString,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
} from '../../lib/index.js';

/** Description-ish strings: built from the characters that matter to the parser. */
const descriptionChars = fc
  .array(
    fc.oneof(
      fc.constantFrom(':', '=', '\\', 'tcp', 'tcp6', 'unix', 'tls', 'ssl', 'port', 'host', '80'),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

function onlyDescriptionErrors(build: () => unknown): void {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(EndpointDescriptionError);
  }
}

describe('description parsing properties', () => {
  it('serverFromString either builds an endpoint or throws EndpointDescriptionError', () => {
    fc.assert(
      fc.property(descriptionChars, (desc) => {
        onlyDescriptionErrors(() => serverFromString(new MemoryReactor(), desc));
      }),
      { numRuns: 500 },
    );
  });

  it('clientFromString either builds an endpoint or throws EndpointDescriptionError', () => {
    fc.assert(
      fc.property(descriptionChars, (desc) => {
        onlyDescriptionErrors(() => clientFromString(new MemoryReactor(), desc));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips every valid port, backlog and timeout', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 1, max: 3600 }),
        (port, backlog, timeout) => {
          const server = serverFromString(new MemoryReactor(), `tcp:${port}:backlog=${backlog}`);
          expect(server).toBeInstanceOf(TCP4ServerEndpoint);
          expect([
            (server as TCP4ServerEndpoint).port,
            (server as TCP4ServerEndpoint).backlog,
          ]).toEqual([port, backlog]);
          const client = clientFromString(new MemoryReactor(), `tcp:h:${port}:timeout=${timeout}`);
          expect(client).toBeInstanceOf(TCP4ClientEndpoint);
          expect([
            (client as TCP4ClientEndpoint).port,
            (client as TCP4ClientEndpoint).timeout,
          ]).toEqual([port, timeout]);
        },
      ),
    );
  });

  it('rejects every port outside 0-65535 or not an integer', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 65536 }).map(String),
          fc.integer({ max: -1 }).map(String),
          fc
            .string({ minLength: 1, maxLength: 6 })
            .filter((s) => !/^\s*[+-]?\d+\s*$/.test(s) && !/[:=\\]/.test(s)),
        ),
        (port) => {
          expect(() => serverFromString(new MemoryReactor(), `tcp:${port}`)).toThrow(
            EndpointDescriptionError,
          );
        },
      ),
    );
  });
});
