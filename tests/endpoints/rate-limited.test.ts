// `rate=N:rateQueue=M` on a server description: a real TCP port serving at
// most N new connections per second, refusing those past the queue bound.
import { describe, expect, it } from 'vitest';
import {
  connect,
  EndpointDescriptionError,
  type InetAddress,
  listen,
  RateLimitedServerEndpoint,
  reactor,
  serverFromString,
} from '../../lib/index.js';
import { echo, roundTrip, closedAfterEach } from '../helpers.js';

const { ports, conns } = closedAfterEach();

describe('rate= on a server description', () => {
  it('serves the first connection of the second and refuses one past the queue bound', async () => {
    const port = await listen('tcp:0:interface=127.0.0.1:rate=1:rateQueue=0', echo);
    ports.push(port);
    const address = `tcp:127.0.0.1:${(port.getHost() as InetAddress).port}`;
    const first = await connect(address);
    conns.push(first);
    expect(await roundTrip(first, 'hello')).toBe('hello');
    // Refused with a reset: the connect fails, or the connection dies at once.
    const refused = await connect(address).then(
      async (second) => {
        conns.push(second);
        await second.closed;
        return second.signal.aborted;
      },
      (error: Error) => error.name === 'ConnectError' || error.name === 'ConnectionLost',
    );
    expect(refused).toBe(true);
    expect(await roundTrip(first, 'still')).toBe('still');
  });

  it('builds a RateLimitedServerEndpoint; bad values name the argument', () => {
    const endpoint = serverFromString(reactor, 'tcp:0:rate=100:rateQueue=5');
    expect(endpoint).toBeInstanceOf(RateLimitedServerEndpoint);
    expect((endpoint as RateLimitedServerEndpoint).options).toEqual({ rate: 100, maxWaiting: 5 });
    expect(() => serverFromString(reactor, 'tcp:0:rate=fast')).toThrow(EndpointDescriptionError);
    expect(() => serverFromString(reactor, 'tcp:0:rate=0')).toThrow(/rate/);
    expect(() => serverFromString(reactor, 'tcp:0:rateQueue=5')).toThrow(/rateQueue/);
  });
});
