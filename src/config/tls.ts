import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import type { ConfigReader } from './config-reader.js';

/** Where hush's own HTTPS certificate chain and private key live (PEM files). */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** What Node's HTTPS server takes; read at start only, never kept in the frozen Config. */
export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export function readTlsMaterial(files: TlsFiles): TlsMaterial {
  return { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
}

/**
 * HUSH_TLS_CERT_FILE and HUSH_TLS_KEY_FILE, both or neither. The pair is loaded and checked here,
 * so a missing file, a bad PEM or a key that does not match fails the start with a clear message.
 * Messages name files and settings only: OpenSSL's own text is never passed on.
 */
export function readTlsFiles(r: ConfigReader): TlsFiles | undefined {
  const certFile = r.optionalString('HUSH_TLS_CERT_FILE');
  const keyFile = r.optionalString('HUSH_TLS_KEY_FILE');
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    r.fail('HUSH_TLS_CERT_FILE and HUSH_TLS_KEY_FILE go together');
    return undefined;
  }
  const files = { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) };
  const problem = checkTlsFiles(files);
  if (problem !== undefined) r.fail(problem);
  return files;
}

/** The first thing wrong with the pair, or undefined when Node's TLS accepts it. */
function checkTlsFiles(files: TlsFiles): string | undefined {
  const cert = readOrProblem('HUSH_TLS_CERT_FILE', files.certFile);
  const key = readOrProblem('HUSH_TLS_KEY_FILE', files.keyFile);
  if (typeof cert === 'string') return cert;
  if (typeof key === 'string') return key;

  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    return `HUSH_TLS_CERT_FILE: ${files.certFile} is not a PEM certificate`;
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    return `HUSH_TLS_KEY_FILE: ${files.keyFile} is not an unencrypted PEM private key`;
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    return `HUSH_TLS_KEY_FILE: ${files.keyFile} is not the key of the certificate in ${files.certFile}`;
  }
  try {
    createSecureContext({ cert, key });
  } catch {
    return `HUSH_TLS_CERT_FILE / HUSH_TLS_KEY_FILE: Node's TLS refuses this pair (a weak key or an unsupported chain)`;
  }
  return undefined;
}

function readOrProblem(name: string, file: string): Buffer | string {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${name}: no such file ${file}` : `${name}: cannot read ${file} (${code})`;
  }
}
