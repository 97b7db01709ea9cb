import { describe, expect, it } from 'vitest';
import { connectionPair } from '../../lib/index.js';
import { describeConnectionConformance, readAll } from '../protocols/connection-conformance.js';

describeConnectionConformance('connectionPair', async (server) => connectionPair({ server }));

describe('connectionPair', () => {
  it('returns two connected ends', async () => {
    const [a, b] = connectionPair();
    await a.end('ping');
    expect(await readAll(b)).toBe('ping');
    await b.close();
  });
});
