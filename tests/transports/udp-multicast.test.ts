// Multicast stays on this host: groups are joined on the loopback interface
// (127.0.0.1), senders use 127.0.0.1 as their outgoing interface and a TTL
// of 0, so no datagram is ever transmitted on a real network.
import { afterEach, describe, expect, it } from 'vitest';
import {
  CannotListenError,
  ConnectionClosedError,
  InvalidAddressError,
  MulticastJoinError,
  MulticastPort,
  Reactor,
} from '../../lib/index.js';
import { Recorder, UDPResources } from './udp-helpers.js';

const GROUP = '225.0.0.250';
const reactor = new Reactor();
const res = new UDPResources();
afterEach(() => res.closeAll());

const listen = async (protocol: Recorder, port = 0, iface = '', listenMultiple = false) =>
  res.port(await reactor.listenMulticast(port, protocol, iface, 8192, listenMultiple));

/** Keep a port's multicast on this host: loopback interface, TTL 0. */
async function localOnly(port: MulticastPort): Promise<MulticastPort> {
  await port.setOutgoingInterface('127.0.0.1');
  port.setTTL(0);
  return port;
}

describe('listenMulticast', () => {
  it('gives the protocol a MulticastPort with the system defaults', async () => {
    const server = new Recorder();
    const port = await listen(server);
    expect(port).toBeInstanceOf(MulticastPort);
    expect(server.transport).toBe(port);
    expect(port.getHost()).toMatchObject({ type: 'UDP', host: '0.0.0.0' });
    expect(port.getTTL()).toBe(1);
    expect(port.getLoopbackMode()).toBe(true);
    expect(port.getOutgoingInterface()).toBe('0.0.0.0');
    expect(port.listenMultiple).toBe(false);
  });

  it('sets and reports the TTL, the loopback mode and the outgoing interface', async () => {
    const port = await listen(new Recorder());
    port.setTTL(2);
    expect(port.getTTL()).toBe(2);
    port.setLoopbackMode(false);
    expect(port.getLoopbackMode()).toBe(false);
    port.setLoopbackMode(1);
    expect(port.getLoopbackMode()).toBe(true);
    await port.setOutgoingInterface('127.0.0.1');
    expect(port.getOutgoingInterface()).toBe('127.0.0.1');
    expect(() => port.setTTL(256)).toThrow();
    expect(port.getTTL()).toBe(2);
  });

  it('rejects an outgoing interface that is not a local address', async () => {
    const port = await listen(new Recorder());
    // 203.0.113.0/24 is TEST-NET-3: never a local address; nothing is sent.
    const error = await port.setOutgoingInterface('203.0.113.7').catch((e) => e);
    expect(error).toBeInstanceOf(InvalidAddressError);
    expect(port.getOutgoingInterface()).toBe('0.0.0.0');
  });

  it('joins and leaves a group on the loopback interface', async () => {
    const port = await listen(new Recorder());
    await expect(port.joinGroup(GROUP, '127.0.0.1')).resolves.toBeUndefined();
    await expect(port.leaveGroup(GROUP, '127.0.0.1')).resolves.toBeUndefined();
    await expect(port.joinGroup(GROUP, '127.0.0.1')).resolves.toBeUndefined();
  });

  it('fails with MulticastJoinError for a non-multicast address, a second join or leaving a group not joined', async () => {
    const port = await listen(new Recorder());
    const notMulticast = await port.joinGroup('127.0.0.1', '127.0.0.1').catch((e) => e);
    expect(notMulticast).toBeInstanceOf(MulticastJoinError);
    expect(notMulticast).toMatchObject({
      name: 'MulticastJoinError',
      code: 'ERR_MULTICAST_JOIN',
      group: '127.0.0.1',
      interface: '127.0.0.1',
      osError: 'EINVAL',
    });
    await port.joinGroup(GROUP, '127.0.0.1');
    await expect(port.joinGroup(GROUP, '127.0.0.1')).rejects.toBeInstanceOf(MulticastJoinError);
    await port.leaveGroup(GROUP, '127.0.0.1');
    await expect(port.leaveGroup(GROUP, '127.0.0.1')).rejects.toBeInstanceOf(MulticastJoinError);
  });

  it('delivers a datagram sent to a joined group (on the loopback interface)', async () => {
    const receiver = new Recorder();
    const port = await listen(receiver);
    await port.joinGroup(GROUP, '127.0.0.1');
    const sender = await localOnly(await listen(new Recorder(), 0, '127.0.0.1'));
    const got = receiver.next();
    sender.write('hello world', [GROUP, port.getHost().port]);
    expect(await got).toMatchObject({ data: 'hello world', addr: { host: '127.0.0.1' } });
  });

  // Turning loopback mode off cannot be observed here: on the loopback
  // interface the device itself delivers every sent datagram back.
  it('delivers its own group datagrams back to the sender', async () => {
    const server = new Recorder();
    const port = await localOnly(await listen(server));
    await port.joinGroup(GROUP, '127.0.0.1');
    port.setLoopbackMode(true);
    const own = server.next();
    port.write('looped', [GROUP, port.getHost().port]);
    expect(await own).toEqual({
      data: 'looped',
      addr: { type: 'UDP', host: '127.0.0.1', port: port.getHost().port },
    });
  });

  it('lets several ports share one port number with listenMultiple, each receiving the group datagrams', async () => {
    const first = new Recorder();
    const firstPort = await listen(first, 0, '', true);
    const portNumber = firstPort.getHost().port;
    const second = new Recorder();
    const secondPort = await listen(second, portNumber, '', true);
    expect(secondPort.getHost().port).toBe(portNumber);
    expect(secondPort.listenMultiple).toBe(true);
    await Promise.all([
      firstPort.joinGroup(GROUP, '127.0.0.1'),
      secondPort.joinGroup(GROUP, '127.0.0.1'),
    ]);
    await localOnly(firstPort);
    const got = Promise.all([first.next(), second.next()]);
    firstPort.write('to all', [GROUP, portNumber]);
    expect((await got).map((r) => r.data)).toEqual(['to all', 'to all']);
  });

  it('refuses a taken port number without listenMultiple', async () => {
    const firstPort = await listen(new Recorder(), 0, '', true);
    const error = await reactor
      .listenMulticast(firstPort.getHost().port, new Recorder())
      .catch((e) => e);
    expect(error).toBeInstanceOf(CannotListenError);
    expect(error).toMatchObject({ osError: 'EADDRINUSE' });
  });

  it('rejects multicast calls once stopped', async () => {
    const server = new Recorder();
    const port = await listen(server);
    await port.stopListening();
    expect(server.events).toEqual(['start', 'stop']);
    await expect(port.joinGroup(GROUP, '127.0.0.1')).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(() => port.setTTL(3)).toThrow(ConnectionClosedError);
    expect(() => port.setLoopbackMode(false)).toThrow(ConnectionClosedError);
  });
});
