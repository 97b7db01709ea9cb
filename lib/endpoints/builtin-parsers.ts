// Tests: tests/endpoints/from-string.test.ts, tests/endpoints/properties.test.ts, tests/endpoints/integration.test.ts
import { isIP } from 'node:net';
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { domainToASCII } from 'node:url';
import {
  bindArguments,
  requireArgument,
  toCount,
  toFlag,
  toMode,
  toPort,
  toSeconds,
} from './arguments.js';
import { EndpointDescriptionError } from './errors.js';
import type { BindAddress, IReactorNetwork } from '../transports/index.js';
import type { IStreamClientEndpoint } from './interfaces.js';
import { registerBuiltinEndpointPrefix } from './registry.js';
import { SSL4ClientEndpoint, SSL4ServerEndpoint } from './ssl.js';
import {
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  TCP6ClientEndpoint,
  TCP6ServerEndpoint,
} from './tcp.js';
import {
  readCertificateChain,
  readCertificateFile,
  readPrivateKeyFile,
  readTextFile,
  readTrustRoots,
} from './tls-files.js';
import { UNIXClientEndpoint, UNIXServerEndpoint } from './unix.js';
import { type TLSWrapperClientEndpoint, wrapClientTLS } from './wrap-tls.js';
import { DEFAULT_BACKLOG } from '../transports/index.js';

type Args = string[];
type Kwargs = Record<string, string>;

const DEFAULT_TIMEOUT = 30;

function backlogOf(prefix: string, value: string | undefined): number {
  return value === undefined ? DEFAULT_BACKLOG : toCount(prefix, 'backlog', value);
}

function timeoutOf(prefix: string, value: string | undefined): number {
  return value === undefined ? DEFAULT_TIMEOUT : toSeconds(prefix, 'timeout', value);
}

function bindAddressOf(value: string | undefined): BindAddress | undefined {
  return value === undefined ? undefined : [value, 0];
}

/**
 * The required `host` argument, with an internationalised name turned into
 * its ASCII (IDNA) form, as Twisted's `_idnaBytes`: what DNS and
 * certificates use.
 */
function hostOf(prefix: string, value: string | undefined): string {
  const host = requireArgument(prefix, 'host', value);
  if (!/[^\x20-\x7e]/.test(host)) return host;
  const ascii = domainToASCII(host);
  if (ascii === '') {
    throw new EndpointDescriptionError(
      `${prefix}: invalid host name ${JSON.stringify(host)}`,
      host,
    );
  }
  return ascii;
}

/**
 * A TCP server parser: `tcp:PORT[:interface=IP][:backlog=N]` (Twisted's
 * `_parseTCP`) or `tcp6:PORT[:backlog=N][:interface=IP]` (`_TCP6ServerParser`);
 * `names` gives the positional order, `Endpoint` its default interface.
 */
function tcpServerWith(
  prefix: string,
  names: readonly ('port' | 'interface' | 'backlog')[],
  Endpoint: new (
    reactor: IReactorNetwork,
    port: number,
    backlog?: number,
    iface?: string,
  ) => TCP4ServerEndpoint,
) {
  return (reactor: IReactorNetwork, args: Args, kwargs: Kwargs): TCP4ServerEndpoint => {
    const a = bindArguments(prefix, names, args, kwargs);
    return new Endpoint(
      reactor,
      toPort(prefix, 'port', requireArgument(prefix, 'port', a.port)),
      backlogOf(prefix, a.backlog),
      a.interface,
    );
  };
}

/** `unix:PATH[:mode=666][:backlog=N][:lockfile=1]`, as Twisted's `_parseUNIX`. */
function unixServer(reactor: IReactorNetwork, args: Args, kwargs: Kwargs): UNIXServerEndpoint {
  const a = bindArguments('unix', ['address', 'mode', 'backlog', 'lockfile'], args, kwargs);
  return new UNIXServerEndpoint(
    reactor,
    requireArgument('unix', 'address', a.address),
    backlogOf('unix', a.backlog),
    a.mode === undefined ? 0o666 : toMode('unix', 'mode', a.mode),
    a.lockfile === undefined ? true : toFlag('unix', 'lockfile', a.lockfile),
  );
}

const SSL_METHODS: Record<string, string | undefined> = {
  SSLv23_METHOD: undefined,
  TLS_METHOD: undefined,
  TLSv1_METHOD: 'TLSv1_method',
  TLSv1_1_METHOD: 'TLSv1_1_method',
  TLSv1_2_METHOD: 'TLSv1_2_method',
};

/**
 * `ssl:PORT[:privateKey=server.pem][:certKey=FILE][:extraCertChain=FILE]
 * [:dhParameters=FILE][:sslmethod=M][:interface=IP][:backlog=N]
 * [:handshakeTimeout=S]`, as Twisted's `_parseSSL`; the files are read now.
 * `handshakeTimeout` (seconds, default 120 as Node's) closes a client that
 * has not finished its handshake by then.
 */
function sslServer(reactor: IReactorNetwork, args: Args, kwargs: Kwargs): SSL4ServerEndpoint {
  const p = 'ssl';
  const a = bindArguments(
    p,
    [
      'port',
      'privateKey',
      'certKey',
      'sslmethod',
      'interface',
      'backlog',
      'extraCertChain',
      'dhParameters',
      'handshakeTimeout',
    ],
    args,
    kwargs,
  );
  const port = toPort(p, 'port', requireArgument(p, 'port', a.port));
  const keyPath = a.privateKey ?? 'server.pem';
  const key = readPrivateKeyFile(p, 'privateKey', keyPath);
  const cert = readCertificateFile(p, 'certKey', a.certKey ?? keyPath);
  const chain =
    a.extraCertChain === undefined
      ? []
      : readCertificateChain(p, 'extraCertChain', a.extraCertChain);
  const options: TlsOptions = { key, cert: [cert, ...chain].join('\n') };
  if (a.handshakeTimeout !== undefined)
    options.handshakeTimeout = toSeconds(p, 'handshakeTimeout', a.handshakeTimeout) * 1000;
  if (a.dhParameters !== undefined)
    options.dhparam = readTextFile(p, 'dhParameters', a.dhParameters);
  if (a.sslmethod !== undefined) {
    if (!(a.sslmethod in SSL_METHODS)) {
      throw new EndpointDescriptionError(
        `${p}: unknown sslmethod ${JSON.stringify(a.sslmethod)} (known: ${Object.keys(SSL_METHODS).join(', ')})`,
        a.sslmethod,
      );
    }
    const secureProtocol = SSL_METHODS[a.sslmethod];
    if (secureProtocol !== undefined) options.secureProtocol = secureProtocol;
  }
  return new SSL4ServerEndpoint(reactor, port, options, backlogOf(p, a.backlog), a.interface ?? '');
}

/**
 * Move a client description's positional host and port into `kwargs`, as
 * Twisted's `_parseClientTCP`: `HOST:PORT`, or one positional that is the
 * port when `host=` is given and the host otherwise.
 */
function hostPortKeywords(prefix: string, args: Args, kwargs: Kwargs): Kwargs {
  const out: Kwargs = { ...kwargs };
  const claim = (name: string, value: string): void => {
    if (name in out) {
      throw new EndpointDescriptionError(
        `${prefix}: argument ${JSON.stringify(name)} given twice (positionally and as ${name}=)`,
        name,
      );
    }
    out[name] = value;
  };
  if (args.length > 2) {
    throw new EndpointDescriptionError(
      `${prefix}: unexpected argument ${JSON.stringify(args[2])} (takes at most host and port positionally)`,
      args[2],
    );
  }
  if (args.length === 2) {
    claim('host', args[0]!);
    claim('port', args[1]!);
  } else if (args.length === 1) {
    claim('host' in out ? 'port' : 'host', args[0]!);
  }
  return out;
}

const TCP_CLIENT_KEYS = ['host', 'port', 'timeout', 'bindAddress'] as const;

function tcpClientWith<E>(
  prefix: string,
  make: (
    reactor: IReactorNetwork,
    host: string,
    port: number,
    timeout: number,
    bind?: BindAddress,
  ) => E,
) {
  return (reactor: IReactorNetwork, args: Args, kwargs: Kwargs): E => {
    const a = bindArguments(prefix, TCP_CLIENT_KEYS, [], hostPortKeywords(prefix, args, kwargs));
    return make(
      reactor,
      hostOf(prefix, a.host),
      toPort(prefix, 'port', requireArgument(prefix, 'port', a.port)),
      timeoutOf(prefix, a.timeout),
      bindAddressOf(a.bindAddress),
    );
  };
}

/** Files naming a client certificate and trust roots, as in `ssl:` and `tls:` client descriptions. */
interface ClientTLSFiles {
  /** `[option name, path]` of the certificate file. */
  certificate?: Named | undefined;
  privateKey?: string | undefined;
  /** `[option name, path]` of the trust roots. */
  trustRoots?: Named | undefined;
  hostname?: string | undefined;
}

/** An option's value with the name it was given under, for error messages. */
type Named = [name: string, value: string];

function named(name: string, value: string | undefined): Named | undefined {
  return value === undefined ? undefined : [name, value];
}

/**
 * Node TLS client options from description files: `ca` from the trust
 * roots, `cert`/`key` from the client certificate (the key defaults to the
 * certificate's file), `servername` from `hostname`. Verification stays on.
 */
function clientTLSOptions(prefix: string, files: ClientTLSFiles): ConnectionOptions {
  const options: ConnectionOptions = {};
  if (files.trustRoots !== undefined) {
    options.ca = readTrustRoots(prefix, ...files.trustRoots);
  }
  const [certOption, certPath] = files.certificate ?? named('privateKey', files.privateKey) ?? [];
  if (certOption !== undefined && certPath !== undefined) {
    options.cert = readCertificateFile(prefix, certOption, certPath);
    options.key = readPrivateKeyFile(prefix, 'privateKey', files.privateKey ?? certPath);
  }
  if (files.hostname !== undefined && isIP(files.hostname) === 0) {
    options.servername = files.hostname;
  }
  return options;
}

/** The one of several synonymous options given, as `[name, value]`, or an error when two are. */
function oneOf(prefix: string, kwargs: Kwargs, names: readonly string[]): Named | undefined {
  const given = names.filter((name) => name in kwargs);
  if (given.length > 1) {
    throw new EndpointDescriptionError(
      `${prefix}: ${given.join(' and ')} name the same option; give only one`,
      given[1],
    );
  }
  return given.length === 1 ? [given[0]!, kwargs[given[0]!]!] : undefined;
}

const CERT_NAMES = ['certKey', 'certificate'] as const;
const TRUST_NAMES = ['caCertsDir', 'trustRoots', 'caCerts'] as const;

function withoutKeys(kwargs: Kwargs, names: readonly string[]): Kwargs {
  const out: Kwargs = {};
  for (const [k, v] of Object.entries(kwargs)) if (!names.includes(k)) out[k] = v;
  return out;
}

/**
 * `ssl:HOST:PORT[:timeout=S][:bindAddress=IP][:certKey=FILE][:privateKey=FILE]
 * [:caCertsDir=DIR][:hostname=NAME]`, as Twisted's `_parseClientSSL`
 * (`certificate` and `trustRoots`/`caCerts` are accepted as synonyms). Unlike
 * Twisted, the server's certificate is verified (against the system roots
 * unless trust roots are named).
 */
function sslClient(reactor: IReactorNetwork, args: Args, kwargs: Kwargs): SSL4ClientEndpoint {
  const p = 'ssl';
  const tlsKeys = [...CERT_NAMES, ...TRUST_NAMES, 'privateKey', 'hostname'];
  const tls = clientTLSOptions(p, {
    certificate: oneOf(p, kwargs, CERT_NAMES),
    privateKey: kwargs.privateKey,
    trustRoots: oneOf(p, kwargs, TRUST_NAMES),
    hostname: kwargs.hostname,
  });
  return tcpClientWith(
    p,
    (r, host, port, timeout, bind) => new SSL4ClientEndpoint(r, host, port, tls, timeout, bind),
  )(reactor, args, withoutKeys(kwargs, tlsKeys));
}

/**
 * `tls:HOST:PORT[:timeout=S][:bindAddress=IP][:certificate=FILE]
 * [:privateKey=FILE][:trustRoots=PATH]`, as Twisted's `_parseClientTLS`
 * (`caCerts` is a synonym of `trustRoots`): the server's certificate is
 * verified for HOST. With `endpoint=DESC` (a quoted client description) the
 * connection is made by that endpoint and upgraded to TLS, as Twisted's
 * `wrapClientTLS`; HOST then only names the certificate to expect.
 */
function tlsClient(
  clientFromDescription: (reactor: IReactorNetwork, description: string) => IStreamClientEndpoint,
  reactor: IReactorNetwork,
  args: Args,
  kwargs: Kwargs,
): SSL4ClientEndpoint | TLSWrapperClientEndpoint {
  const p = 'tls';
  const trustRoots = oneOf(p, kwargs, ['trustRoots', 'caCerts']);
  const a = bindArguments(
    p,
    ['host', 'port', 'timeout', 'bindAddress', 'certificate', 'privateKey', 'endpoint'],
    args,
    withoutKeys(kwargs, ['trustRoots', 'caCerts']),
  );
  const host = hostOf(p, a.host);
  const port = toPort(p, 'port', requireArgument(p, 'port', a.port));
  const tls = clientTLSOptions(p, {
    certificate: named('certificate', a.certificate),
    privateKey: a.privateKey,
    trustRoots,
    hostname: host,
  });
  if (a.endpoint !== undefined) {
    return wrapClientTLS({ host, ...tls }, clientFromDescription(reactor, a.endpoint));
  }
  return new SSL4ClientEndpoint(
    reactor,
    host,
    port,
    tls,
    timeoutOf(p, a.timeout),
    bindAddressOf(a.bindAddress),
  );
}

/** `unix:PATH[:timeout=S][:lockfile=0|1]` (or `path=`, `checkPID=`), as Twisted's `_parseClientUNIX`. */
function unixClient(reactor: IReactorNetwork, args: Args, kwargs: Kwargs): UNIXClientEndpoint {
  const p = 'unix';
  const checkPID = oneOf(p, kwargs, ['lockfile', 'checkPID']);
  const a = bindArguments(
    p,
    ['path', 'timeout'],
    args,
    withoutKeys(kwargs, ['lockfile', 'checkPID']),
  );
  return new UNIXClientEndpoint(
    reactor,
    requireArgument(p, 'path', a.path),
    timeoutOf(p, a.timeout),
    checkPID === undefined ? false : toFlag(p, ...checkPID),
  );
}

/**
 * Register woven's built-in prefixes `tcp`, `tcp6`, `ssl`, `tls` and `unix`;
 * `clientFromDescription` builds the endpoint a `tls:...:endpoint=DESC` wraps.
 */
export function registerBuiltinParsers(
  clientFromDescription: (reactor: IReactorNetwork, description: string) => IStreamClientEndpoint,
): void {
  registerBuiltinEndpointPrefix({
    prefix: 'tcp',
    server: tcpServerWith('tcp', ['port', 'interface', 'backlog'], TCP4ServerEndpoint),
    client: tcpClientWith('tcp', (...a) => new TCP4ClientEndpoint(...a)),
  });
  registerBuiltinEndpointPrefix({
    prefix: 'tcp6',
    server: tcpServerWith('tcp6', ['port', 'backlog', 'interface'], TCP6ServerEndpoint),
    client: tcpClientWith('tcp6', (...a) => new TCP6ClientEndpoint(...a)),
  });
  registerBuiltinEndpointPrefix({ prefix: 'ssl', server: sslServer, client: sslClient });
  registerBuiltinEndpointPrefix({
    prefix: 'tls',
    client: (reactor, args, kwargs) => tlsClient(clientFromDescription, reactor, args, kwargs),
  });
  registerBuiltinEndpointPrefix({ prefix: 'unix', server: unixServer, client: unixClient });
}
