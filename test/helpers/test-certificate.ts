import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../servers/daemon.js';

/** A private CA and a server certificate it signs, made with openssl at test time. */
export interface TestCertificates {
  readonly dir: string;
  /** PEM of the CA: what a client trusts. */
  readonly ca: Buffer;
  readonly caFile: string;
  /** Server certificate for 127.0.0.1, ::1 and localhost, and its key. */
  readonly certFile: string;
  readonly keyFile: string;
  /** A key of the same type that belongs to no certificate, for mismatch cases. */
  readonly otherKeyFile: string;
  remove(): void;
}

const newKey = (file: string) =>
  run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);

export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-tls-'));
  const file = (name: string) => path.join(dir, name);
  await Promise.all([newKey(file('ca.key')), newKey(file('server.key')), newKey(file('other.key'))]);
  await run('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    file('ca.key'),
    '-subj',
    '/CN=hush test CA',
    '-days',
    '1',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
    '-out',
    file('ca.crt'),
  ]);
  await run('openssl', [
    'req',
    '-new',
    '-key',
    file('server.key'),
    '-subj',
    '/CN=localhost',
    '-out',
    file('server.csr'),
  ]);
  writeFileSync(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.crt'),
  ]);
  return {
    dir,
    ca: readFileSync(file('ca.crt')),
    caFile: file('ca.crt'),
    certFile: file('server.crt'),
    keyFile: file('server.key'),
    otherKeyFile: file('other.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
