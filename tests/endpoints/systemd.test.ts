import { afterEach, describe, expect, it } from 'vitest';
import {
  AdoptedStreamServerEndpoint,
  EndpointDescriptionError,
  ListenFDs,
  reactor,
  serverFromString,
} from '../../lib/index.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

function activate(count: number, names?: string): void {
  process.env.LISTEN_PID = String(process.pid);
  process.env.LISTEN_FDS = String(count);
  if (names === undefined) delete process.env.LISTEN_FDNAMES;
  else process.env.LISTEN_FDNAMES = names;
}

function parseError(description: string): EndpointDescriptionError {
  try {
    serverFromString(reactor, description);
  } catch (error) {
    expect(error).toBeInstanceOf(EndpointDescriptionError);
    return error as EndpointDescriptionError;
  }
  throw new Error(`${description} parsed`);
}

describe('ListenFDs.fromEnvironment', () => {
  it('lists LISTEN_FDS descriptors from 3 on, with their names', () => {
    const fds = ListenFDs.fromEnvironment(
      { LISTEN_PID: '42', LISTEN_FDS: '2', LISTEN_FDNAMES: 'web:admin' },
      42,
    );
    expect(fds.inheritedDescriptors()).toEqual([3, 4]);
    expect(fds.names).toEqual(['web', 'admin']);
  });

  it("names unnamed sockets 'unknown', as systemd", () => {
    expect(ListenFDs.fromEnvironment({ LISTEN_PID: '7', LISTEN_FDS: '1' }, 7).names).toEqual([
      'unknown',
    ]);
  });

  it('takes none meant for another process, unless that is the cluster primary', () => {
    const env = { LISTEN_PID: '42', LISTEN_FDS: '1' };
    const other = ListenFDs.fromEnvironment(env, 43);
    expect(other.inheritedDescriptors()).toEqual([]);
    expect(other.missing).toMatch(/LISTEN_PID is 42, not this process \(43\)/);
    expect(ListenFDs.fromEnvironment(env, 43, 42).inheritedDescriptors()).toEqual([3]);
  });

  it('takes none without the variables, or with a bad count', () => {
    expect(ListenFDs.fromEnvironment({}, 1).missing).toMatch(/not set/);
    expect(ListenFDs.fromEnvironment({ LISTEN_PID: '1', LISTEN_FDS: 'x' }, 1).missing).toMatch(
      /LISTEN_FDS is not a count/,
    );
  });
});

describe('systemd: descriptions', () => {
  it('builds an adopted endpoint on the descriptor index= or name= picks', () => {
    activate(3, 'a:b:c');
    const byIndex = serverFromString(reactor, 'systemd:domain=INET:index=1');
    expect(byIndex).toBeInstanceOf(AdoptedStreamServerEndpoint);
    expect(byIndex).toMatchObject({ fileno: 4, addressFamily: 'INET' });
    expect(serverFromString(reactor, 'systemd:domain=UNIX:name=c')).toMatchObject({
      fileno: 5,
      addressFamily: 'UNIX',
    });
    expect(serverFromString(reactor, 'systemd:INET6:0')).toMatchObject({ fileno: 3 });
  });

  it('rejects bad arguments at parse time, naming them', () => {
    activate(1, 'web');
    expect(parseError('systemd:domain=IPX:index=0').part).toBe('IPX');
    expect(parseError('systemd:domain=INET').message).toMatch(/exactly one of index= and name=/);
    expect(parseError('systemd:domain=INET:index=0:name=web').message).toMatch(/exactly one/);
    expect(parseError('systemd:index=0').message).toMatch(/domain/);
    expect(parseError('systemd:domain=INET:index=1').message).toMatch(
      /no socket with index 1 \(passed: 0=web\)/,
    );
    expect(parseError('systemd:domain=INET:name=admin').part).toBe('admin');
  });

  it('says why when the process was not socket-activated', () => {
    delete process.env.LISTEN_PID;
    expect(parseError('systemd:domain=INET:index=0').message).toMatch(/not socket-activated/);
  });
});
