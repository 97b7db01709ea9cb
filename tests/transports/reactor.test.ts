import { describe, expect, it } from 'vitest';
import {
  type IReactor,
  type IReactorNetwork,
  MemoryReactor,
  Reactor,
  ReactorNetwork,
  reactor,
} from '../../lib/index.js';

describe('Reactor: the core scheduler plus the network methods of ReactorNetwork', () => {
  it('gives every Reactor, the default one included, each network method', () => {
    const names = Object.getOwnPropertyNames(ReactorNetwork.prototype).filter(
      (n) => n !== 'constructor',
    );
    expect(names.sort()).toEqual(
      [
        'connectSSL',
        'connectTCP',
        'connectUNIX',
        'listenMulticast',
        'listenSSL',
        'listenTCP',
        'listenUDP',
        'listenUNIX',
      ].sort(),
    );
    for (const name of names) {
      expect(typeof (new Reactor() as unknown as Record<string, unknown>)[name]).toBe('function');
      expect(typeof (reactor as unknown as Record<string, unknown>)[name]).toBe('function');
    }
    expect(reactor).toBeInstanceOf(Reactor);
  });

  it('listens and stops through the interface type', async () => {
    const r: IReactor = new Reactor();
    const port = await r.listenTCP(0, async function* () {}, 50, '127.0.0.1');
    expect(port.getHost()).toMatchObject({ type: 'TCP', host: '127.0.0.1' });
    await port.stopListening();
  });

  it('is implemented by the testing MemoryReactor too', async () => {
    const fake: IReactorNetwork = new MemoryReactor();
    await fake.listenTCP(8080, async function* () {});
    expect((fake as MemoryReactor).tcpServers).toHaveLength(1);
  });
});
