import { randomBytes, randomUUID } from 'node:crypto';
import type { Identity } from '../../src/domain/principal.js';
import {
  DEFAULT_SECRET_SETTINGS,
  type SealedVersion,
  type SecretRecord,
  type SecretVersionRecord,
} from '../../src/storage/secret-store.js';

/** What the KV conformance suites (kv-store*.test.ts) share: a clock start, an actor, records. */
export const T0 = Date.UTC(2030, 0, 1);
export const SECOND = 1000;
export const admin: Identity = { kind: 'user', id: 'u-kv-admin', name: 'kv-admin', role: 'admin' };
export const client = { ip: '192.0.2.7', userAgent: 'kv-conformance' };

export const sealed = (): SealedVersion => ({
  ciphertext: randomBytes(40),
  wrappedKey: randomBytes(60),
  keyVersion: 1,
});

/** A secret's record named `name`, with a first version unless `withVersion` is false. */
export function newSecret(name: string, withVersion = true) {
  const id = randomUUID();
  const secret: SecretRecord = {
    ...DEFAULT_SECRET_SETTINGS,
    id,
    name,
    currentVersion: withVersion ? 1 : 0,
    createdAt: T0,
    updatedAt: T0,
    expiresAt: undefined,
  };
  const first: SecretVersionRecord | undefined = withVersion
    ? { ...sealed(), secretId: id, version: 1, createdAt: T0 }
    : undefined;
  return { secret, first };
}

/** 'ok', or the error's code. */
export const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? String(error),
  );
