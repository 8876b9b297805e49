import type { Logger } from 'pino';
import type { AuditService } from '../audit/audit-service.js';
import type { AuditEvent, EventData, EventType } from '../audit/audit-types.js';
import { DecryptionError } from '../crypto/aead.js';
import type { Keyring } from '../crypto/keyring.js';
import type { ClientInfo } from '../domain/client-info.js';
import { actorOf } from '../domain/principal.js';
import { HushError } from '../errors/hush-error.js';
import type { SettingsReader } from '../settings/setting-definitions.js';
import type { SecretRecord, SecretStore, SecretVersionRecord } from '../storage/secret-store.js';
import type { SecretRef } from './kv-types.js';
import type { BatchPolicyChecker, Capability } from './policy-types.js';
import { openContent } from './secret-crypto.js';
import type { SecretActor, SecretContent } from './secret-types.js';
import { validateName } from './secret-validation.js';

/** What the secret services (KV and the seed's) are built from. */
export interface SecretServiceDeps {
  readonly store: SecretStore;
  readonly keyring: Keyring;
  readonly policies: BatchPolicyChecker;
  readonly audit: AuditService;
  readonly settings: SettingsReader;
  readonly logger: Logger;
  readonly now?: () => number;
}

export type Grant = Exclude<Capability, 'deny'>;

/** The parts every KV operation uses: the deps, the clock, and the few rules they share. */
export interface KvContext extends SecretServiceDeps {
  readonly now: () => number;
  /** The live secret `ref` names, or undefined. */
  find(ref: SecretRef, at: number): Promise<SecretRecord | undefined>;
  /**
   * The secret if `actor` may `need` on it. Otherwise not_found when the actor may not read it
   * (nobody learns it exists), forbidden when it may read it.
   */
  authorize(actor: SecretActor, secret: SecretRecord | undefined, need: Grant): Promise<SecretRecord>;
  /** A version's content. Never a wrong value: a failure to open is logged (ids only) and answered 500. */
  open(version: SecretVersionRecord): Promise<SecretContent>;
  /** The same, synchronous, with the keyring key of `version.keyVersion` at hand (inside a store step). */
  openWith(version: SecretVersionRecord, key: Buffer): SecretContent;
  /** The keyring keys that open, by version, up to `version`: what a store step may need to open one. */
  keysUpTo(version: number): Promise<ReadonlyMap<number, Buffer>>;
  /** An audit event about a secret, for a store to write with its change. */
  event(
    type: EventType,
    actor: SecretActor,
    secretId: string,
    data: EventData,
    client: ClientInfo,
  ): AuditEvent;
}

export function kvContext(deps: SecretServiceDeps): KvContext {
  const { store, policies, keyring, audit } = deps;
  /** Logs why a version did not open (ids only) and answers 500, never a wrong value. */
  const unreadable = (version: SecretVersionRecord, error: unknown) => {
    if (!(error instanceof DecryptionError)) return error;
    const { secretId, keyVersion } = version;
    deps.logger.error(
      { secretId, version: version.version, keyVersion, reason: error.message },
      'secret version could not be decrypted',
    );
    return new HushError('secret_unreadable');
  };
  const openWith = (version: SecretVersionRecord, key: Buffer) => {
    try {
      const ref = { secretId: version.secretId, version: version.version };
      return openContent({ version: version.keyVersion, key }, ref, version);
    } catch (error) {
      throw unreadable(version, error);
    }
  };
  return {
    ...deps,
    now: deps.now ?? Date.now,
    find: (ref, at) => ('id' in ref ? store.find(ref.id, at) : store.findByName(validateName(ref.name), at)),
    async authorize(actor, secret, need) {
      const capabilities = secret && (await policies.capabilities(actor, secret.name));
      if (secret && capabilities?.has(need)) return secret;
      throw new HushError(capabilities?.has('read') ? 'forbidden' : 'not_found');
    },
    async open(version) {
      const key = await keyring.get(version.keyVersion).catch((error: unknown) => {
        throw unreadable(version, error);
      });
      return openWith(version, key);
    },
    openWith,
    async keysUpTo(version) {
      const versions = Array.from({ length: version }, (_, i) => i + 1);
      const keys = await Promise.allSettled(versions.map((v) => keyring.get(v)));
      // A key that does not open stays out: a version it wraps fails as unreadable when opened.
      return new Map(
        keys.flatMap((key, i) =>
          key.status === 'fulfilled' ? [[versions[i] as number, key.value] as const] : [],
        ),
      );
    },
    event: (type, actor, secretId, data, client) =>
      audit.prepare({ type, actor: actorOf(actor), subject: { kind: 'secret', id: secretId }, data, client }),
  };
}
