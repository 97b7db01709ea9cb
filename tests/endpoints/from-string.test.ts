import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientFactory,
  clientFromString,
  EndpointDescriptionError,
  Factory,
  MemoryReactor,
  Protocol,
  quoteStringArgument,
  SSL4ClientEndpoint,
  SSL4ServerEndpoint,
  serverFromString,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  TCP6ClientEndpoint,
  TCP6ServerEndpoint,
  UNIXClientEndpoint,
  UNIXServerEndpoint,
} from '../../lib/index.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'tls');
const certPem = readFileSync(join(fixtures, 'localhost.crt'), 'utf8');
const keyPem = readFileSync(join(fixtures, 'localhost.key'), 'utf8');
const keyPath = quoteStringArgument(join(fixtures, 'localhost.key'));
const certPath = quoteStringArgument(join(fixtures, 'localhost.crt'));

let dir: string;
let combinedPath: string;
let chainPath: string;
let emptyPath: string;
let casDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'woven-endpoints-'));
  combinedPath = join(dir, 'server.pem');
  writeFileSync(combinedPath, `${keyPem}\n${certPem}`);
  chainPath = join(dir, 'chain.pem');
  writeFileSync(chainPath, `${certPem}\n${certPem}`);
  emptyPath = join(dir, 'empty.pem');
  writeFileSync(emptyPath, '');
  casDir = join(dir, 'cas');
  mkdirSync(casDir);
  writeFileSync(join(casDir, 'thing1.pem'), certPem);
  writeFileSync(join(casDir, 'ignored.txt'), 'not a certificate');
  writeFileSync(join(casDir, 'broken.pem'), 'garbage');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function descriptionError(fn: () => unknown): EndpointDescriptionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EndpointDescriptionError);
    expect((error as EndpointDescriptionError).name).toBe('EndpointDescriptionError');
    expect((error as EndpointDescriptionError).code).toBe('ERR_ENDPOINT_DESCRIPTION');
    return error as EndpointDescriptionError;
  }
  throw new Error('expected an EndpointDescriptionError');
}

describe('serverFromString', () => {
  it('builds a TCP4ServerEndpoint from a tcp description with keyword options', () => {
    const reactor = new MemoryReactor();
    const server = serverFromString(reactor, 'tcp:1234:backlog=12:interface=10.0.0.1');
    expect(server).toBeInstanceOf(TCP4ServerEndpoint);
    const ep = server as TCP4ServerEndpoint;
    expect(ep.reactor).toBe(reactor);
    expect([ep.port, ep.backlog, ep.interface]).toEqual([1234, 12, '10.0.0.1']);
  });

  it('asks the reactor to listenTCP with the parsed arguments', async () => {
    const reactor = new MemoryReactor();
    const factory = Factory.forProtocol(Protocol);
    const port = await serverFromString(reactor, 'tcp:8080:interface=127.0.0.1').listen(factory);
    expect(reactor.tcpServers).toEqual([[8080, factory, 511, '127.0.0.1']]);
    expect(port.getHost()).toEqual({ type: 'TCP', host: '0.0.0.0', port: 8080 });
  });

  it('accepts the port as a keyword and uses Twisted defaults otherwise', async () => {
    const reactor = new MemoryReactor();
    await serverFromString(reactor, 'tcp:port=8080:backlog=10').listen(Protocol);
    await serverFromString(reactor, 'tcp:0').listen(Protocol);
    expect(reactor.tcpServers).toEqual([
      [8080, Protocol, 10, ''],
      [0, Protocol, 511, ''],
    ]);
  });

  it('matches the prefix case-insensitively', () => {
    expect(serverFromString(new MemoryReactor(), 'TCP:80')).toBeInstanceOf(TCP4ServerEndpoint);
  });

  it('builds a TCP6ServerEndpoint listening on :: by default', async () => {
    const reactor = new MemoryReactor();
    const ep = serverFromString(reactor, 'tcp6:8080');
    expect(ep).toBeInstanceOf(TCP6ServerEndpoint);
    await ep.listen(Protocol);
    await serverFromString(reactor, 'tcp6:port=81:interface=\\:\\:1:backlog=3').listen(Protocol);
    expect(reactor.tcpServers).toEqual([
      [8080, Protocol, 511, '::'],
      [81, Protocol, 3, '::1'],
    ]);
  });

  it('builds a UNIXServerEndpoint with an octal mode and lock file flag', async () => {
    const reactor = new MemoryReactor();
    const ep = serverFromString(reactor, 'unix:/var/foo/bar:backlog=7:mode=0123:lockfile=1');
    expect(ep).toBeInstanceOf(UNIXServerEndpoint);
    const unix = ep as UNIXServerEndpoint;
    expect([unix.address, unix.backlog, unix.mode, unix.wantPID]).toEqual([
      '/var/foo/bar',
      7,
      0o123,
      true,
    ]);
    await ep.listen(Protocol);
    expect(reactor.unixServers).toEqual([['/var/foo/bar', Protocol, 7, 0o123, true]]);
  });

  it('gives unix servers mode 666 and a lock file by default, as Twisted', async () => {
    const reactor = new MemoryReactor();
    await serverFromString(reactor, 'unix:/tmp/s.sock:mode=660:lockfile=0').listen(Protocol);
    await serverFromString(reactor, 'unix:/tmp/t.sock').listen(Protocol);
    expect(reactor.unixServers).toEqual([
      ['/tmp/s.sock', Protocol, 511, 0o660, false],
      ['/tmp/t.sock', Protocol, 511, 0o666, true],
    ]);
  });

  it('builds an SSL4ServerEndpoint, reading the key and certificate files at parse time', async () => {
    const reactor = new MemoryReactor();
    const ep = serverFromString(
      reactor,
      `ssl:1234:backlog=12:privateKey=${keyPath}:certKey=${certPath}:interface=10.0.0.1`,
    );
    expect(ep).toBeInstanceOf(SSL4ServerEndpoint);
    await ep.listen(Protocol);
    const [[port, handler, options, backlog, iface]] = reactor.sslServers as [
      [number, unknown, { key: string; cert: string }, number, string],
    ];
    expect([port, handler, backlog, iface]).toEqual([1234, Protocol, 12, '10.0.0.1']);
    expect(options.key).toBe(keyPem);
    expect(options.cert.trim()).toBe(certPem.trim());
  });

  it('defaults certKey to privateKey (one file holding both)', () => {
    const ep = serverFromString(
      new MemoryReactor(),
      `ssl:4321:privateKey=${quoteStringArgument(combinedPath)}`,
    ) as SSL4ServerEndpoint;
    expect([ep.port, ep.backlog, ep.interface]).toEqual([4321, 511, '']);
    expect(ep.tlsOptions.key).toContain('PRIVATE KEY');
    expect(ep.tlsOptions.cert).toContain('BEGIN CERTIFICATE');
  });

  it('appends the certificates of extraCertChain, in order, after the certificate', () => {
    const ep = serverFromString(
      new MemoryReactor(),
      `ssl:1234:privateKey=${keyPath}:certKey=${certPath}:extraCertChain=${quoteStringArgument(chainPath)}`,
    ) as SSL4ServerEndpoint;
    const cert = ep.tlsOptions.cert as string;
    expect(cert.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
  });

  it('rejects an extraCertChain file without certificates, naming the file', () => {
    const error = descriptionError(() =>
      serverFromString(
        new MemoryReactor(),
        `ssl:1234:privateKey=${keyPath}:certKey=${certPath}:extraCertChain=${quoteStringArgument(emptyPath)}`,
      ),
    );
    expect(error.message).toContain(emptyPath);
  });

  it('passes dhParameters as Node dhparam and maps sslmethod', () => {
    const ep = serverFromString(
      new MemoryReactor(),
      `ssl:1:privateKey=${keyPath}:certKey=${certPath}:dhParameters=${certPath}:sslmethod=TLSv1_2_METHOD`,
    ) as SSL4ServerEndpoint;
    expect(ep.tlsOptions.dhparam).toBe(certPem);
    expect(ep.tlsOptions.secureProtocol).toBe('TLSv1_2_method');
  });

  it('rejects a missing key file, naming it', () => {
    const missing = join(dir, 'missing.pem');
    const error = descriptionError(() =>
      serverFromString(new MemoryReactor(), `ssl:443:privateKey=${quoteStringArgument(missing)}`),
    );
    expect(error.message).toContain(missing);
    expect(error.part).toBe(missing);
  });

  it('rejects a key file that holds no private key', () => {
    const error = descriptionError(() =>
      serverFromString(new MemoryReactor(), `ssl:443:privateKey=${certPath}`),
    );
    expect(error.message).toContain('private key');
  });

  it('rejects an unknown prefix with Twisted message', () => {
    const error = descriptionError(() =>
      serverFromString(new MemoryReactor(), 'ftl:andromeda/carcosa/hali/2387'),
    );
    expect(error.message).toBe("Unknown endpoint type: 'ftl'");
    expect(error.part).toBe('ftl');
  });

  it('rejects a non-numeric or out-of-range port, naming it', () => {
    expect(
      descriptionError(() => serverFromString(new MemoryReactor(), 'tcp:http')).message,
    ).toContain('http');
    expect(descriptionError(() => serverFromString(new MemoryReactor(), 'tcp:70000')).part).toBe(
      '70000',
    );
    expect(
      descriptionError(() => serverFromString(new MemoryReactor(), 'tcp:80:backlog=many')).part,
    ).toBe('many');
  });

  it('rejects a missing port', () => {
    expect(descriptionError(() => serverFromString(new MemoryReactor(), 'tcp')).part).toBe('port');
    expect(descriptionError(() => serverFromString(new MemoryReactor(), 'tcp:')).part).toBe('port');
  });

  it('rejects an unknown keyword and a surplus positional argument, naming them', () => {
    expect(
      descriptionError(() => serverFromString(new MemoryReactor(), 'tcp:80:colour=blue')).part,
    ).toBe('colour');
    expect(
      descriptionError(() => serverFromString(new MemoryReactor(), 'tcp:80:0.0.0.0:5:extra')).part,
    ).toBe('extra');
  });

  it('rejects an argument given both positionally and by keyword', () => {
    expect(
      descriptionError(() => serverFromString(new MemoryReactor(), 'tcp:80:port=81')).part,
    ).toBe('port');
  });

  it('rejects a non-octal unix mode', () => {
    expect(
      descriptionError(() => serverFromString(new MemoryReactor(), 'unix:/x:mode=999')).part,
    ).toBe('999');
  });

  it('knows that tls: has no server endpoints', () => {
    expect(descriptionError(() => serverFromString(new MemoryReactor(), 'tls:443')).part).toBe(
      'tls',
    );
  });
});

describe('clientFromString', () => {
  it('builds a TCP4ClientEndpoint from keyword arguments', () => {
    const reactor = new MemoryReactor();
    const client = clientFromString(
      reactor,
      'tcp:host=example.com:port=1234:timeout=7:bindAddress=10.0.0.2',
    );
    expect(client).toBeInstanceOf(TCP4ClientEndpoint);
    const ep = client as TCP4ClientEndpoint;
    expect(ep.reactor).toBe(reactor);
    expect([ep.host, ep.port, ep.timeout, ep.bindAddress]).toEqual([
      'example.com',
      1234,
      7,
      ['10.0.0.2', 0],
    ]);
  });

  it('accepts host and port positionally', () => {
    const ep = clientFromString(
      new MemoryReactor(),
      'tcp:example.com:1234:timeout=7',
    ) as TCP4ClientEndpoint;
    expect([ep.host, ep.port, ep.timeout]).toEqual(['example.com', 1234, 7]);
  });

  it('takes a lone positional argument as the host, or as the port when host= is given', () => {
    const a = clientFromString(
      new MemoryReactor(),
      'tcp:example.com:port=1234',
    ) as TCP4ClientEndpoint;
    const b = clientFromString(
      new MemoryReactor(),
      'tcp:host=example.com:1234',
    ) as TCP4ClientEndpoint;
    expect([a.host, a.port]).toEqual(['example.com', 1234]);
    expect([b.host, b.port]).toEqual(['example.com', 1234]);
  });

  it('defaults the timeout to 30 seconds and the bind address to none', () => {
    const ep = clientFromString(
      new MemoryReactor(),
      'tcp:host=example.com:port=1234',
    ) as TCP4ClientEndpoint;
    expect(ep.timeout).toBe(30);
    expect(ep.bindAddress).toBeUndefined();
  });

  it('asks the reactor to connectTCP with the parsed arguments and a wrapping client factory', () => {
    const reactor = new MemoryReactor();
    void clientFromString(reactor, 'tcp:host=example.com:port=80:timeout=5').connect(Protocol);
    expect(reactor.tcpClients).toHaveLength(1);
    const [host, port, factory, timeout, bindAddress] = reactor.tcpClients[0]!;
    expect([host, port, timeout, bindAddress]).toEqual(['example.com', 80, 5, undefined]);
    expect(factory).toBeInstanceOf(ClientFactory);
  });

  it('builds a TCP6ClientEndpoint for tcp6', () => {
    expect(clientFromString(new MemoryReactor(), 'tcp6:\\:\\:1:80')).toBeInstanceOf(
      TCP6ClientEndpoint,
    );
  });

  it('builds a UNIXClientEndpoint from keyword or positional path', () => {
    for (const desc of [
      'unix:path=/var/foo/bar:lockfile=1:timeout=9',
      'unix:/var/foo/bar:lockfile=1:timeout=9',
    ]) {
      const ep = clientFromString(new MemoryReactor(), desc);
      expect(ep).toBeInstanceOf(UNIXClientEndpoint);
      const unix = ep as UNIXClientEndpoint;
      expect([unix.path, unix.timeout, unix.checkPID]).toEqual(['/var/foo/bar', 9, true]);
    }
  });

  it('accepts checkPID as a synonym of lockfile and defaults both to off', () => {
    const a = clientFromString(
      new MemoryReactor(),
      'unix:path=/tmp/s.sock:timeout=3:checkPID=1',
    ) as UNIXClientEndpoint;
    const b = clientFromString(new MemoryReactor(), 'unix:path=/var/foo/bar') as UNIXClientEndpoint;
    expect([a.timeout, a.checkPID]).toEqual([3, true]);
    expect([b.timeout, b.checkPID]).toEqual([30, false]);
  });

  it('asks the reactor to connectUNIX with the parsed arguments', () => {
    const reactor = new MemoryReactor();
    void clientFromString(reactor, 'unix:/tmp/s.sock:timeout=3:lockfile=1').connect(Protocol);
    const [path, , timeout, checkPID] = reactor.unixClients[0]!;
    expect([path, timeout, checkPID]).toEqual(['/tmp/s.sock', 3, true]);
  });

  it('turns an internationalised host name into its IDNA form, for tcp and tls', () => {
    const tcp = clientFromString(
      new MemoryReactor(),
      'tcp:\u00e9xample.example.com:80',
    ) as TCP4ClientEndpoint;
    const tls = clientFromString(
      new MemoryReactor(),
      'tls:\u00e9xample.example.com:443',
    ) as SSL4ClientEndpoint;
    expect(tcp.host).toBe('xn--xample-9ua.example.com');
    expect(tls.host).toBe('xn--xample-9ua.example.com');
  });

  it('rejects an unknown prefix, a missing host and a bad port', () => {
    expect(
      descriptionError(() =>
        clientFromString(new MemoryReactor(), 'ftl:andromeda/carcosa/hali/2387'),
      ).message,
    ).toBe("Unknown endpoint type: 'ftl'");
    expect(descriptionError(() => clientFromString(new MemoryReactor(), 'tcp:port=80')).part).toBe(
      'host',
    );
    expect(
      descriptionError(() => clientFromString(new MemoryReactor(), 'tcp:example.com')).part,
    ).toBe('port');
    expect(
      descriptionError(() => clientFromString(new MemoryReactor(), 'tcp:example.com:eighty')).part,
    ).toBe('eighty');
    expect(
      descriptionError(() => clientFromString(new MemoryReactor(), 'tcp:h:1:timeout=soon')).part,
    ).toBe('soon');
    expect(
      descriptionError(() => clientFromString(new MemoryReactor(), 'tcp:h:1:interface=x')).part,
    ).toBe('interface');
  });
});

describe('clientFromString with TLS', () => {
  it('builds an SSL4ClientEndpoint with client certificate, trust roots and Twisted arguments', () => {
    const reactor = new MemoryReactor();
    const client = clientFromString(
      reactor,
      `ssl:host=example.net:port=4321:privateKey=${keyPath}:certKey=${certPath}:bindAddress=10.0.0.3:timeout=3:caCertsDir=${quoteStringArgument(casDir)}`,
    );
    expect(client).toBeInstanceOf(SSL4ClientEndpoint);
    const ep = client as SSL4ClientEndpoint;
    expect([ep.host, ep.port, ep.timeout, ep.bindAddress]).toEqual([
      'example.net',
      4321,
      3,
      ['10.0.0.3', 0],
    ]);
    expect(ep.tlsOptions.cert).toBe(certPem);
    expect(ep.tlsOptions.key).toBe(keyPem);
    // Only the valid *.pem file of the directory is a trust root.
    expect(ep.tlsOptions.ca).toEqual([certPem.trim()]);
  });

  it('accepts host and port positionally for ssl:', () => {
    const ep = clientFromString(
      new MemoryReactor(),
      'ssl:example.net:4321:timeout=3',
    ) as SSL4ClientEndpoint;
    expect([ep.host, ep.port, ep.timeout]).toEqual(['example.net', 4321, 3]);
  });

  it('leaves ssl: client options empty by default, so the server is verified against system roots', () => {
    const ep = clientFromString(new MemoryReactor(), 'ssl:example.net:4321') as SSL4ClientEndpoint;
    expect(ep.tlsOptions).toEqual({});
    expect(ep.tlsOptions.rejectUnauthorized).not.toBe(false);
  });

  it('verifies ssl: against hostname= when given', () => {
    const ep = clientFromString(
      new MemoryReactor(),
      'ssl:10.0.0.1:443:hostname=example.org',
    ) as SSL4ClientEndpoint;
    expect(ep.tlsOptions.servername).toBe('example.org');
  });

  it('builds a verifying TLS client endpoint from tls:HOST:PORT', () => {
    const reactor = new MemoryReactor();
    const ep = clientFromString(reactor, 'tls:example.com:443') as SSL4ClientEndpoint;
    expect(ep).toBeInstanceOf(SSL4ClientEndpoint);
    void ep.connect(Protocol);
    const [host, port, , options, timeout, bindAddress] = reactor.sslClients[0]!;
    expect([host, port, timeout, bindAddress]).toEqual(['example.com', 443, 30, undefined]);
    expect(options.rejectUnauthorized).not.toBe(false);
  });

  it('reads tls: trustRoots (a file or a directory) and a client certificate', () => {
    const fromFile = clientFromString(
      new MemoryReactor(),
      `tls:localhost:443:trustRoots=${certPath}:certificate=${certPath}:privateKey=${keyPath}`,
    ) as SSL4ClientEndpoint;
    expect(fromFile.tlsOptions.ca).toEqual([certPem.trim()]);
    expect(fromFile.tlsOptions.cert).toBe(certPem);
    expect(fromFile.tlsOptions.key).toBe(keyPem);
    const fromDir = clientFromString(
      new MemoryReactor(),
      `tls:localhost:443:caCerts=${quoteStringArgument(casDir)}:timeout=5`,
    ) as SSL4ClientEndpoint;
    expect(fromDir.tlsOptions.ca).toEqual([certPem.trim()]);
    expect(fromDir.timeout).toBe(5);
  });

  it('rejects unreadable trust roots and unknown tls: keywords, naming them', () => {
    const missing = join(dir, 'nope');
    expect(
      descriptionError(() =>
        clientFromString(
          new MemoryReactor(),
          `tls:localhost:443:trustRoots=${quoteStringArgument(missing)}`,
        ),
      ).part,
    ).toBe(missing);
    expect(
      descriptionError(() =>
        clientFromString(new MemoryReactor(), `tls:localhost:443:caCertsDir=${certPath}`),
      ).part,
    ).toBe('caCertsDir');
    expect(
      descriptionError(() => clientFromString(new MemoryReactor(), 'tls:localhost')).part,
    ).toBe('port');
  });
});

describe("server descriptions, as Twisted's ParserTests", () => {
  async function listenArgs(desc: string): Promise<unknown[]> {
    const reactor = new MemoryReactor();
    await serverFromString(reactor, desc).listen(Protocol);
    return [...reactor.tcpServers, ...reactor.unixServers][0]!;
  }

  it('parses simple tcp, interface and backlog', async () => {
    expect(await listenArgs('tcp:80')).toEqual([80, Protocol, 511, '']);
    expect(await listenArgs('tcp:80:interface=127.0.0.1')).toEqual([
      80,
      Protocol,
      511,
      '127.0.0.1',
    ]);
    expect(await listenArgs('tcp:80:backlog=6')).toEqual([80, Protocol, 6, '']);
  });

  it('parses simple unix with defaults, mode and lockfile', async () => {
    expect(await listenArgs('unix:/var/run/finger')).toEqual([
      '/var/run/finger',
      Protocol,
      511,
      0o666,
      true,
    ]);
    expect(await listenArgs('unix:/var/run/finger:mode=0660')).toEqual([
      '/var/run/finger',
      Protocol,
      511,
      0o660,
      true,
    ]);
    expect(await listenArgs('unix:/var/run/finger:lockfile=0')).toEqual([
      '/var/run/finger',
      Protocol,
      511,
      0o666,
      false,
    ]);
  });

  it('unescapes backslash-escaped colons, equals signs and backslashes', async () => {
    expect(await listenArgs('unix:foo\\:bar\\=baz\\:qux\\\\')).toEqual([
      'foo:bar=baz:qux\\',
      Protocol,
      511,
      0o666,
      true,
    ]);
  });

  it("does not need '=' quoted in a value", async () => {
    expect(await listenArgs('unix:address=foo=bar')).toEqual([
      'foo=bar',
      Protocol,
      511,
      0o666,
      true,
    ]);
  });

  it('rejects an unknown type', () => {
    expect(() => serverFromString(new MemoryReactor(), 'bogus-type:nothing')).toThrow(
      EndpointDescriptionError,
    );
  });
});
