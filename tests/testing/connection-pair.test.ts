import { describe, expect, it } from 'vitest';
import { ConnectionDone, connectionPair } from '../../lib/index.js';
import { describeConnectionConformance, readAll } from '../protocols/connection-conformance.js';

describeConnectionConformance('connectionPair', async (server) => connectionPair({ server }));

describe('connectionPair', () => {
  it('lets an end reply after the peer’s end(), then closes when it closes', async () => {
    const [a, b] = connectionPair();
    await a.end('question');
    expect(await readAll(b)).toBe('question');
    expect(b.signal.aborted).toBe(false);
    await b.write('answer');
    await b.close();
    expect(await readAll(a)).toBe('answer');
    await Promise.all([a.closed, b.closed]);
  });

  it('closes an end after the peer’s close(), keeping what it has not read yet', async () => {
    const [a, b] = connectionPair();
    await a.write('bye');
    await a.close();
    expect(await readAll(b)).toBe('bye'); // data read after the close is observed

    await b.closed;
    expect(b.signal.reason).toBeInstanceOf(ConnectionDone);
  });

  it('returns two connected ends', async () => {
    const [a, b] = connectionPair();
    await a.end('ping');
    expect(await readAll(b)).toBe('ping');
    await b.close();
  });
});
