// Tests: tests/endpoints/from-string.test.ts, tests/endpoints/integration.test.ts
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EndpointDescriptionError } from './errors.js';

const CERTIFICATE_PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Read any file whole (Diffie-Hellman parameters, say), naming it if it cannot be read. */
export function readTextFile(prefix: string, option: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new EndpointDescriptionError(
      `${prefix}: cannot read ${option} file ${JSON.stringify(path)}: ${(error as Error).message}`,
      path,
      { cause: error },
    );
  }
}

function badContent(
  prefix: string,
  option: string,
  path: string,
  what: string,
  cause?: unknown,
): never {
  throw new EndpointDescriptionError(
    `${prefix}: ${option} file ${JSON.stringify(path)} does not contain ${what}`,
    path,
    { cause },
  );
}

/** The PEM certificates in `text`, in order. */
function certificatesIn(text: string): string[] {
  return text.match(CERTIFICATE_PEM) ?? [];
}

/** Read a PEM file holding a private key (possibly with certificates too), checking it parses. */
export function readPrivateKeyFile(prefix: string, option: string, path: string): string {
  const text = readTextFile(prefix, option, path);
  try {
    createPrivateKey(text);
  } catch (error) {
    badContent(prefix, option, path, 'a PEM private key', error);
  }
  return text;
}

/** Read a PEM file holding a certificate (possibly with its key too), checking it parses. */
export function readCertificateFile(prefix: string, option: string, path: string): string {
  const text = readTextFile(prefix, option, path);
  try {
    new X509Certificate(text);
  } catch (error) {
    badContent(prefix, option, path, 'a PEM certificate', error);
  }
  return text;
}

/**
 * Read a file of PEM certificates (an `extraCertChain`), in order; one
 * without any is an error, as in Twisted.
 */
export function readCertificateChain(prefix: string, option: string, path: string): string[] {
  const certificates = certificatesIn(readTextFile(prefix, option, path));
  if (certificates.length === 0) {
    badContent(prefix, option, path, 'any valid certificates in PEM format');
  }
  return certificates;
}

/**
 * Load trust roots from `path`: a PEM file of certificates, or a directory
 * whose `*.pem` files are read (unreadable or invalid ones skipped, as
 * Twisted's `_loadCAsFromDir`). Finding no certificate at all is an error.
 */
export function readTrustRoots(prefix: string, option: string, path: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new EndpointDescriptionError(
      `${prefix}: cannot read ${option} ${JSON.stringify(path)}: ${(error as Error).message}`,
      path,
      { cause: error },
    );
  }
  const certificates = isDirectory
    ? pemFilesIn(path).flatMap(readCertificatesQuietly)
    : certificatesIn(readTextFile(prefix, option, path));
  if (certificates.length === 0) {
    badContent(
      prefix,
      option,
      path,
      isDirectory ? 'any readable *.pem certificates' : 'any PEM certificates',
    );
  }
  return [...new Set(certificates)];
}

function pemFilesIn(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.toLowerCase().endsWith('.pem'))
    .sort()
    .map((name) => join(directory, name));
}

function readCertificatesQuietly(path: string): string[] {
  try {
    return certificatesIn(readFileSync(path, 'utf8')).filter(isValidCertificate);
  } catch {
    return [];
  }
}

function isValidCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}
