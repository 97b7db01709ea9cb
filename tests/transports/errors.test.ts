import { describe, expect, it } from 'vitest';
import {
  CannotListenError,
  ConnectBindError,
  ConnectError,
  ConnectionRefusedError,
  ConnectTimeoutError,
  DNSLookupError,
  NoRouteError,
  TLSError,
  UserError,
  WovenError,
} from '../../lib/index.js';
import { toConnectError, toTLSError } from '../../lib/transports/index.js';

function nodeError(code: string): Error {
  return Object.assign(new Error(`failed: ${code}`), { code });
}

describe('network errors', () => {
  it('have stable names and codes and derive from ConnectError and WovenError', () => {
    const cases: [new () => Error, string, string][] = [
      [ConnectError, 'ConnectError', 'ERR_CONNECT'],
      [ConnectionRefusedError, 'ConnectionRefusedError', 'ERR_CONNECTION_REFUSED'],
      [ConnectTimeoutError, 'ConnectTimeoutError', 'ERR_CONNECT_TIMEOUT'],
      [DNSLookupError, 'DNSLookupError', 'ERR_DNS_LOOKUP'],
      [TLSError, 'TLSError', 'ERR_TLS'],
      [UserError, 'UserError', 'ERR_CONNECT_CANCELLED'],
    ];
    for (const [cls, name, code] of cases) {
      const e = new cls();
      expect(e).toBeInstanceOf(ConnectError);
      expect(e).toBeInstanceOf(WovenError);
      expect([e.name, (e as ConnectError).code]).toEqual([name, code]);
    }
  });

  it('map Node errno codes of a failed connect to the matching class, keeping the cause', () => {
    const cases: [string, new () => ConnectError][] = [
      ['ECONNREFUSED', ConnectionRefusedError],
      ['ETIMEDOUT', ConnectTimeoutError],
      ['ENOTFOUND', DNSLookupError],
      ['EAI_AGAIN', DNSLookupError],
      ['EHOSTUNREACH', NoRouteError],
      ['EADDRINUSE', ConnectBindError],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', TLSError],
      ['ERR_SSL_WRONG_VERSION_NUMBER', TLSError],
      ['EWHATEVER', ConnectError],
    ];
    for (const [code, cls] of cases) {
      const cause = nodeError(code);
      const e = toConnectError(cause);
      expect(e.constructor).toBe(cls);
      expect(e.osError).toBe(code);
      expect(e.cause).toBe(cause);
    }
  });

  it('TLSError carries Node’s code as tlsCode and keeps its own code', () => {
    const e = toTLSError(nodeError('ERR_TLS_CERT_ALTNAME_INVALID'));
    expect([e.code, e.tlsCode]).toEqual(['ERR_TLS', 'ERR_TLS_CERT_ALTNAME_INVALID']);
  });

  it('CannotListenError says where and why', () => {
    const e = new CannotListenError('127.0.0.1', 8080, nodeError('EADDRINUSE'));
    expect([e.name, e.code, e.interface, e.port, e.osError]).toEqual([
      'CannotListenError',
      'ERR_CANNOT_LISTEN',
      '127.0.0.1',
      8080,
      'EADDRINUSE',
    ]);
    expect(e.message).toContain('127.0.0.1:8080');
  });
});
