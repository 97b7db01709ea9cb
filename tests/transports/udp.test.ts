import { afterEach, describe, expect, it } from 'vitest';
import {
  AlreadyConnectedError,
  CannotListenError,
  ConnectionClosedError,
  DatagramProtocol,
  InvalidAddressError,
  MessageLengthError,
  Reactor,
  reactor as defaultReactor,
  UDPPort,
} from '../../lib/index.js';
import { captureLog, turns } from '../helpers.js';
import { closedPort, Echo, Recorder, sendFrom, UDPResources } from './udp-helpers.js';

const reactor = new Reactor();
const res = new UDPResources();
afterEach(() => res.closeAll());

const listen = async (protocol: DatagramProtocol, iface = '127.0.0.1', maxPacketSize?: number) =>
  res.port(await reactor.listenUDP(0, protocol, iface, maxPacketSize));

describe('listenUDP', () => {
  it('is a method of the default reactor and of every Reactor', () => {
    expect(typeof defaultReactor.listenUDP).toBe('function');
    expect(typeof defaultReactor.listenMulticast).toBe('function');
    expect(typeof new Reactor().listenUDP).toBe('function');
  });

  it('binds a UDP port that is its protocol transport, started before the promise resolves', async () => {
    const server = new Recorder();
    const port = await listen(server);
    expect(port).toBeInstanceOf(UDPPort);
    expect(server.transport).toBe(port);
    expect(server.events).toEqual(['start']);
    const host = port.getHost();
    expect(host).toEqual({ type: 'UDP', host: '127.0.0.1', port: host.port });
    expect(host.port).toBeGreaterThan(0);
    expect(port.listening).toBe(true);
  });

  it('echoes a datagram round trip with both addresses reported', async () => {
    const server = res.port(await reactor.listenUDP(0, new Echo(), '127.0.0.1'));
    const client = new Recorder();
    const clientPort = await listen(client);
    const reply = client.next();
    client.transport!.write('hello', ['127.0.0.1', server.getHost().port]);
    expect(await reply).toEqual({
      data: 'hello',
      addr: { type: 'UDP', host: '127.0.0.1', port: server.getHost().port },
    });
    const again = client.next();
    clientPort.write(new TextEncoder().encode('bytes'), server.getHost()); // an address object works too
    expect((await again).data).toBe('bytes');
  });

  it('delivers datagrams as Uint8Array with the sender address', async () => {
    let seen: unknown;
    class Keep extends DatagramProtocol {
      override noisy = false;
      override datagramReceived(data: Uint8Array) {
        seen = data;
      }
    }
    const keeper = new Keep();
    const port = await listen(keeper);
    const recorder = new Recorder();
    const peer = await listen(recorder);
    const raw = await res.socket();
    await sendFrom(raw, 'abc', port.getHost().port);
    // a second datagram through a Recorder proves the first one has been handled
    const done = recorder.next();
    await sendFrom(raw, 'x', peer.getHost().port);
    await done;
    expect(seen).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(seen as Uint8Array).toString()).toBe('abc');
  });

  it('writeSequence sends the parts as one datagram', async () => {
    const server = new Recorder();
    const port = await listen(server);
    const client = await listen(new Recorder());
    const got = server.next();
    client.writeSequence(
      ['a', new TextEncoder().encode('b'), 'c'],
      ['127.0.0.1', port.getHost().port],
    );
    expect((await got).data).toBe('abc');
  });

  it('truncates datagrams longer than maxPacketSize to maxPacketSize bytes, as Twisted', async () => {
    const server = new Recorder();
    const port = await listen(server, '127.0.0.1', 10);
    expect(port.maxPacketSize).toBe(10);
    const raw = await res.socket();
    const got = server.next();
    await sendFrom(raw, '0123456789abcdefghij', port.getHost().port);
    expect((await got).data).toBe('0123456789');
  });

  it('keeps the 8192-byte default and delivers a datagram of exactly that size whole', async () => {
    const server = new Recorder();
    const port = await listen(server);
    expect(port.maxPacketSize).toBe(8192);
    const raw = await res.socket();
    const got = server.next();
    await sendFrom(raw, 'x'.repeat(8193), port.getHost().port);
    expect((await got).data.length).toBe(8192);
  });

  it('rejects with CannotListenError when the port is taken', async () => {
    const port = await listen(new Recorder());
    const second = new Recorder();
    const error = await reactor.listenUDP(port.getHost().port, second, '127.0.0.1').catch((e) => e);
    expect(error).toBeInstanceOf(CannotListenError);
    expect(error).toMatchObject({
      name: 'CannotListenError',
      code: 'ERR_CANNOT_LISTEN',
      osError: 'EADDRINUSE',
      interface: '127.0.0.1',
      port: port.getHost().port,
    });
    expect(second.events).toEqual([]);
    expect(second.transport).toBeNull();
  });

  it('rejects with what startProtocol throws and frees the address', async () => {
    class Broken extends DatagramProtocol {
      override noisy = false;
      override startProtocol() {
        throw new Error('cannot start');
      }
    }
    const probe = await listen(new Recorder());
    const number = probe.getHost().port;
    await probe.stopListening();
    const broken = new Broken();
    await expect(reactor.listenUDP(number, broken, '127.0.0.1')).rejects.toThrow('cannot start');
    expect(broken.transport).toBeNull();
    const again = res.port(await reactor.listenUDP(number, new Recorder(), '127.0.0.1'));
    expect(again.getHost().port).toBe(number);
  });

  it('rejects an interface that is not a numeric address with InvalidAddressError', async () => {
    const error = await reactor.listenUDP(0, new Recorder(), 'localhost').catch((e) => e);
    expect(error).toBeInstanceOf(InvalidAddressError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_ADDRESS', address: 'localhost' });
  });

  it('listens on IPv6 loopback when given an IPv6 interface', async () => {
    const server = new Recorder();
    const port = await listen(server, '::1');
    expect(port.getHost()).toMatchObject({ type: 'UDP', host: '::1' });
    const client = await listen(new Echo(), '::1');
    const got = server.next();
    client.write('six', ['::1', port.getHost().port]);
    expect(await got).toEqual({
      data: 'six',
      addr: { type: 'UDP', host: '::1', port: client.getHost().port },
    });
    expect(() => port.write('x', ['127.0.0.1', 9])).toThrow(InvalidAddressError);
  });
});

describe('UDPPort.write', () => {
  it('refuses host names, wrong families and a missing address when not connected', async () => {
    const port = await listen(new Recorder());
    expect(() => port.write('x', ['localhost', 9])).toThrow(InvalidAddressError);
    expect(() => port.write('x', ['::1', 9])).toThrow(InvalidAddressError);
    expect(() => port.write('x')).toThrow(InvalidAddressError);
  });

  it('throws MessageLengthError for a datagram over the IPv4 UDP limit', async () => {
    const port = await listen(new Recorder());
    const error = (() => {
      try {
        port.write(new Uint8Array(65_508), ['127.0.0.1', 9]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MessageLengthError);
    expect(error).toMatchObject({ name: 'MessageLengthError', code: 'ERR_MESSAGE_LENGTH' });
  });

  it('throws ConnectionClosedError after stopListening', async () => {
    const port = await listen(new Recorder());
    await port.stopListening();
    expect(() => port.write('x', ['127.0.0.1', 9])).toThrow(ConnectionClosedError);
    expect(() => port.connect('127.0.0.1', 9)).toThrow(ConnectionClosedError);
  });

  it('toggles SO_BROADCAST through setBroadcastAllowed', async () => {
    const port = await listen(new Recorder());
    expect(port.getBroadcastAllowed()).toBe(false);
    port.setBroadcastAllowed(true);
    expect(port.getBroadcastAllowed()).toBe(true);
    port.setBroadcastAllowed(false);
    expect(port.getBroadcastAllowed()).toBe(false);
  });
});

describe('connected UDP', () => {
  it('writes without an address and receives only from the connected peer', async () => {
    const server = new Recorder();
    const serverPort = await listen(server);
    const client = new Recorder();
    const clientPort = await listen(client);
    const sPort = serverPort.getHost().port;
    clientPort.connect('127.0.0.1', sPort);

    const writes: [string, ...unknown[]][] = [['a'], ['b', undefined], ['c', ['127.0.0.1', sPort]]];
    for (const [data, ...addr] of writes) {
      const got = server.next();
      clientPort.write(data, ...(addr as []));
      expect(await got).toEqual({
        data,
        addr: { type: 'UDP', host: '127.0.0.1', port: clientPort.getHost().port },
      });
    }
    expect(() => clientPort.write('d', ['127.0.0.1', sPort + 1])).toThrow(InvalidAddressError);

    // A stranger's datagram is dropped; the peer's next one arrives alone.
    const stranger = await res.socket();
    await sendFrom(stranger, 'intruder', clientPort.getHost().port);
    const reply = client.next();
    serverPort.write('hello', ['127.0.0.1', clientPort.getHost().port]);
    expect((await reply).data).toBe('hello');
    expect(client.packets.map((p) => p.data)).toEqual(['hello']);
  });

  it('queues writes made right after connect() and sends them in order', async () => {
    const server = new Recorder();
    const serverPort = await listen(server);
    const clientPort = await listen(new Recorder());
    clientPort.connect('127.0.0.1', serverPort.getHost().port);
    const first = server.next();
    const second = server.next();
    clientPort.write('1');
    clientPort.write('2');
    expect([(await first).data, (await second).data]).toEqual(['1', '2']);
  });

  it('calls connectionRefused when the peer port is closed (ICMP port unreachable)', async () => {
    const client = new Recorder();
    const port = await listen(client);
    port.connect('127.0.0.1', await closedPort());
    const refused = client.whenRefused();
    for (let i = 0; i < 3; i++) port.write(`${i}`);
    await refused;
    expect(client.refused).toBeGreaterThanOrEqual(1);
    expect(port.listening).toBe(true);
  });

  it('refuses host names and a second connect', async () => {
    const port = await listen(new Recorder());
    expect(() => port.connect('localhost', 80)).toThrow(InvalidAddressError);
    port.connect('127.0.0.1', 80);
    const error = (() => {
      try {
        port.connect('127.0.0.1', 80);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AlreadyConnectedError);
    expect(error).toMatchObject({ code: 'ERR_UDP_ALREADY_CONNECTED' });
  });
});

describe('UDPPort.stopListening', () => {
  it('calls stopProtocol, drops the transport and resolves once closed', async () => {
    const server = new Recorder();
    const port = await listen(server);
    const stopped = port.stopListening();
    expect(port.listening).toBe(false);
    expect(port.stopListening()).toBe(stopped);
    await stopped;
    expect(server.events).toEqual(['start', 'stop']);
    expect(server.transport).toBeNull();
    // the port number is free again
    const again = await listen(new Recorder(), '127.0.0.1');
    expect(again.getHost().port).toBeGreaterThan(0);
  });

  it('restarts the same protocol when it listens again (Twisted test_rebind)', async () => {
    const server = new Recorder();
    const first = await listen(server);
    await first.stopListening();
    const second = await listen(server);
    expect(server.events).toEqual(['start', 'stop', 'start']);
    expect(server.transport).toBe(second);
  });

  it('frees the port number for a new listener', async () => {
    const port = await listen(new Recorder());
    const number = port.getHost().port;
    await port.stopListening();
    const again = res.port(await reactor.listenUDP(number, new Recorder(), '127.0.0.1'));
    expect(again.getHost().port).toBe(number);
  });

  it('still sends a datagram written just before stopListening', async () => {
    const peer = new Recorder();
    const peerPort = await listen(peer);
    const port = await listen(new Recorder());
    const got = peer.next();
    port.write('bye', ['127.0.0.1', peerPort.getHost().port]);
    await port.stopListening();
    expect((await got).data).toBe('bye');
  });

  it('loseConnection stops listening too', async () => {
    const server = new Recorder();
    const port = await listen(server);
    port.loseConnection();
    await port.stopListening();
    expect(server.events).toEqual(['start', 'stop']);
  });
});

describe('errors in datagramReceived', () => {
  it('are logged and the port keeps listening', async () => {
    const { events, stop } = captureLog();
    try {
      const after = new Recorder();
      class Bad extends Recorder {
        override datagramReceived(
          data: Uint8Array,
          addr: { type: 'TCP' | 'UDP'; host: string; port: number },
        ) {
          super.datagramReceived(data, addr);
          throw new Error('application code is buggy');
        }
      }
      const bad = new Bad();
      const port = await listen(bad);
      await listen(after);
      const raw = await res.socket();
      for (const text of ['one', 'two']) {
        const got = bad.next();
        await sendFrom(raw, text, port.getHost().port);
        await got;
      }
      await turns(1);
      const failures = events.filter((e) => e.log_failure !== undefined);
      expect(failures).toHaveLength(2);
      expect(failures[0]!.log_failure!.getErrorMessage()).toContain('application code is buggy');
      expect(bad.packets.map((p) => p.data)).toEqual(['one', 'two']);
      expect(port.listening).toBe(true);
    } finally {
      stop();
    }
  });
});
