import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuditService } from '../audit/audit-service.js';
import type { AuditEvent } from '../audit/audit-types.js';
import { DecryptionError } from '../crypto/aead.js';
import type { Keyring } from '../crypto/keyring.js';
import type { ClientInfo } from '../domain/client-info.js';
import { actorOf } from '../domain/principal.js';
import { HushError } from '../errors/hush-error.js';
import type { SettingsReader } from '../settings/setting-definitions.js';
import type { SecretRecord, SecretStore, SecretVersionRecord } from '../storage/secret-store.js';
import type { BatchPolicyChecker, Capability } from './policy-types.js';
import { openContent, sealContent } from './secret-crypto.js';
import type {
  CreateSecretInput,
  SecretActor,
  SecretContent,
  SecretPage,
  SecretSummary,
  SecretValue,
  SecretVersionInfo,
  WriteSecretInput,
} from './secret-types.js';
import { expiryFor, validateMetadata, validateName, validateValue } from './secret-validation.js';

export interface SecretServiceDeps {
  readonly store: SecretStore;
  readonly keyring: Keyring;
  readonly policies: BatchPolicyChecker;
  readonly audit: AuditService;
  readonly settings: SettingsReader;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface ListQuery {
  readonly prefix: string;
  readonly page: number;
  readonly pageSize: number;
}

/**
 * Stored secrets under path policies. What the actor may not read is not_found (404) everywhere;
 * a readable secret without the capability an operation needs is forbidden (403). Content that
 * fails to decrypt is secret_unreadable (500), logged, and never answered with a value.
 */
export interface SecretService {
  /** forbidden without `create` (before the name is looked up); secret_exists (409) for a live name. */
  create(actor: SecretActor, input: CreateSecretInput, client: ClientInfo): Promise<SecretSummary>;
  /** The current version, or `version`. */
  get(actor: SecretActor, id: string, version: number | undefined, client: ClientInfo): Promise<SecretValue>;
  getByName(
    actor: SecretActor,
    name: string,
    version: number | undefined,
    client: ClientInfo,
  ): Promise<SecretValue>;
  /** Names under `prefix` the actor may `list`, in name order. */
  list(actor: SecretActor, query: ListQuery): Promise<SecretPage>;
  /** Adds a version; a given TTL replaces the expiry. Needs `update`. */
  update(actor: SecretActor, id: string, input: WriteSecretInput, client: ClientInfo): Promise<SecretSummary>;
  /** Erases the secret and every version. Needs `delete`. */
  delete(actor: SecretActor, id: string, client: ClientInfo): Promise<void>;
  versions(actor: SecretActor, id: string): Promise<SecretVersionInfo[]>;
}

/** Records scanned per store call while a list filters names by policy. */
const LIST_BATCH = 500;

const summary = (record: SecretRecord): SecretSummary => ({
  id: record.id,
  name: record.name,
  version: record.currentVersion,
  createdAt: new Date(record.createdAt),
  updatedAt: new Date(record.updatedAt),
  expiresAt: record.expiresAt === undefined ? undefined : new Date(record.expiresAt),
});

export function createSecretService(deps: SecretServiceDeps): SecretService {
  const { store, keyring, policies, audit } = deps;
  const now = deps.now ?? Date.now;

  const content = (input: WriteSecretInput): SecretContent => ({
    value: validateValue(input.value, deps.settings.get('secrets.max_bytes')),
    metadata: validateMetadata(input.metadata),
  });

  /** The live secret if the actor may read it, with what else it may do; otherwise not_found. */
  const readable = async (actor: SecretActor, secret: SecretRecord | undefined) => {
    const capabilities = secret && (await policies.capabilities(actor, secret.name));
    if (!secret || !capabilities?.has('read')) throw new HushError('not_found');
    return { secret, may: (capability: Exclude<Capability, 'deny'>) => capabilities.has(capability) };
  };

  /** Never a wrong value: any failure to open is logged (ids only) and answered 500. */
  const open = async (version: SecretVersionRecord): Promise<SecretContent> => {
    const ref = { secretId: version.secretId, version: version.version };
    try {
      const key = await keyring.get(version.keyVersion);
      return openContent({ version: version.keyVersion, key }, ref, version);
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      deps.logger.error(
        { ...ref, keyVersion: version.keyVersion, reason: error.message },
        'secret version could not be decrypted',
      );
      throw new HushError('secret_unreadable');
    }
  };

  const reveal = async (actor: SecretActor, id: string, version: number | undefined, client: ClientInfo) => {
    const read = await store.read(id, version, now());
    if (!read) throw new HushError('not_found');
    await readable(actor, read.secret);
    const opened = await open(read.version);
    // The read is the event: appended alone, and the value is answered only once it is stored.
    await audit.record({
      type: 'secret.read',
      actor: actorOf(actor),
      subject: { kind: 'secret', id },
      data: { version: read.version.version },
      client,
    });
    return { ...summary(read.secret), version: read.version.version, ...opened };
  };

  return {
    async create(actor, input, client) {
      const name = validateName(input.name);
      const sealedContent = content(input);
      const createdAt = now();
      const expiresAt = expiryFor(input.ttlSeconds, createdAt);
      if (!(await policies.capabilities(actor, name)).has('create')) throw new HushError('forbidden');
      const kek = await keyring.active();
      const id = randomUUID();
      const record = { id, name, currentVersion: 1, createdAt, updatedAt: createdAt, expiresAt };
      const first = {
        ...sealContent(kek, { secretId: id, version: 1 }, sealedContent),
        secretId: id,
        version: 1,
        createdAt,
      };
      // The audit event is stored with the secret, in the same atomic step.
      const event = audit.prepare({
        type: 'secret.created',
        actor: actorOf(actor),
        subject: { kind: 'secret', id },
        data: { version: 1 },
        client,
      });
      if (!(await store.create(record, first, createdAt, [event]))) throw new HushError('secret_exists');
      audit.stored([event]);
      return summary(record);
    },

    get: reveal,

    async getByName(actor, name, version, client) {
      const secret = await store.findByName(name, now());
      if (!secret) throw new HushError('not_found');
      return reveal(actor, secret.id, version, client);
    },

    async list(actor, query) {
      const decide = await policies.decider(actor);
      const at = now();
      const skip = (query.page - 1) * query.pageSize;
      const secrets: SecretSummary[] = [];
      let total = 0;
      let after: string | undefined;
      for (;;) {
        const batch = await store.listByPrefix(query.prefix, at, after, LIST_BATCH);
        for (const record of batch) {
          if (!decide(record.name).has('list')) continue;
          if (total >= skip && secrets.length < query.pageSize) secrets.push(summary(record));
          total += 1;
        }
        const last = batch.at(-1);
        if (batch.length < LIST_BATCH || !last) break;
        after = last.name;
      }
      return { total, secrets };
    },

    async update(actor, id, input, client) {
      const sealedContent = content(input);
      const at = now();
      const expiresAt = expiryFor(input.ttlSeconds, at);
      const { may } = await readable(actor, await store.find(id, at));
      if (!may('update')) throw new HushError('forbidden');
      const kek = await keyring.active();
      const keep = deps.settings.get('secrets.max_versions');
      // The audit event names the version the store chose, and is stored in the same step.
      let events: AuditEvent[] = [];
      const updated = await store.update(
        id,
        { now: at, expiresAt, keep },
        (version) => sealContent(kek, { secretId: id, version }, sealedContent),
        (version) => {
          events = [
            audit.prepare({
              type: 'secret.updated',
              actor: actorOf(actor),
              subject: { kind: 'secret', id },
              data: { version },
              client,
            }),
          ];
          return events;
        },
      );
      if (!updated) throw new HushError('not_found');
      audit.stored(events);
      return summary(updated);
    },

    async delete(actor, id, client) {
      const at = now();
      const { may } = await readable(actor, await store.find(id, at));
      if (!may('delete')) throw new HushError('forbidden');
      // Written with the erase in one step: if the event cannot be stored, nothing is erased, so a
      // retry finds the secret still there rather than a 404.
      const event = audit.prepare({
        type: 'secret.deleted',
        actor: actorOf(actor),
        subject: { kind: 'secret', id },
        client,
      });
      if (!(await store.delete(id, at, [event]))) throw new HushError('not_found');
      audit.stored([event]);
    },

    async versions(actor, id) {
      await readable(actor, await store.find(id, now()));
      const versions = await store.versions(id);
      return versions.map((v) => ({
        version: v.version,
        keyVersion: v.keyVersion,
        createdAt: new Date(v.createdAt),
      }));
    },
  };
}
