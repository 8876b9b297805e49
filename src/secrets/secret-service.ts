import type { ClientInfo } from '../domain/client-info.js';
import { HushError } from '../errors/hush-error.js';
import type { SecretRecord } from '../storage/secret-store.js';
import { type KvContext, kvContext, type SecretServiceDeps } from './kv-context.js';
import { createSecret } from './kv-create.js';
import { readVersion } from './kv-reads.js';
import type { KvData, SecretRef } from './kv-types.js';
import { validateCas, validateData } from './kv-validation.js';
import { deleteSecret } from './kv-versions.js';
import { writeVersion } from './kv-writes.js';
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

export type { SecretServiceDeps } from './kv-context.js';

export interface ListQuery {
  readonly prefix: string;
  readonly page: number;
  readonly pageSize: number;
}

/**
 * Stored secrets as seed 003 has them, on the KV v2 model (kv-service.ts shares every step): a
 * secret's `value` is the key `value` of its data. What the actor may not read is not_found (404)
 * everywhere; a readable secret without the capability an operation needs is forbidden (403).
 * Content that fails to decrypt is secret_unreadable (500), logged, and never answered.
 */
export interface SecretService {
  /**
   * forbidden without `create` (before the name is looked up); secret_exists (409) for a live
   * name. With `cas`, a KV v2 write instead: 0 creates only, N adds a version only onto version N.
   */
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
  /** Adds a version (metadata as given, none when omitted); a given TTL replaces the expiry. Needs `update`. */
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

export function createSecretService(deps: SecretServiceDeps | KvContext): SecretService {
  const ctx = 'authorize' in deps ? deps : kvContext(deps);
  const { store, policies } = ctx;

  /** The seed's value is the data `{value}` and keeps its own size rule (its UTF-8 bytes); data is KV's. */
  const content = (input: WriteSecretInput): SecretContent => {
    const maxBytes = ctx.settings.get('secrets.max_bytes');
    if ((input.value === undefined) === (input.data === undefined)) {
      throw new HushError('invalid_secret', 'Give either value or data.');
    }
    const data: KvData =
      input.value === undefined
        ? validateData(input.data, maxBytes)
        : { value: validateValue(input.value, maxBytes) };
    return { data, metadata: validateMetadata(input.metadata) };
  };

  const reveal = async (
    actor: SecretActor,
    ref: SecretRef,
    version: number | undefined,
    client: ClientInfo,
  ) => {
    const read = await readVersion(ctx, actor, ref, version, client);
    return {
      ...summary(read.secret),
      version: read.version.version,
      ...read.content,
      value: read.content.data.value,
    };
  };

  return {
    async create(actor, input, client) {
      const name = validateName(input.name);
      const made = content(input);
      const cas = validateCas(input.cas);
      const expiresAt = expiryFor(input.ttlSeconds, ctx.now());
      if (!(await policies.capabilities(actor, name)).has('create')) throw new HushError('forbidden');
      if (cas !== undefined) {
        const plan = { content: made, cas, expiresAt, create: true };
        return summary((await writeVersion(ctx, actor, { name }, plan, client)).secret);
      }
      const created = await createSecret(ctx, actor, name, { content: made, expiresAt }, client);
      if (!created) throw new HushError('secret_exists');
      return summary(created);
    },

    get: (actor, id, version, client) => reveal(actor, { id }, version, client),
    getByName: (actor, name, version, client) => reveal(actor, { name }, version, client),

    async list(actor, query) {
      const decide = await policies.decider(actor);
      const at = ctx.now();
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
      const plan = {
        content: content(input),
        cas: validateCas(input.cas),
        expiresAt: expiryFor(input.ttlSeconds, ctx.now()),
        create: false,
      };
      return summary((await writeVersion(ctx, actor, { id }, plan, client)).secret);
    },

    delete: (actor, id, client) => deleteSecret(ctx, actor, { id }, client),

    async versions(actor, id) {
      await ctx.authorize(actor, await store.find(id, ctx.now()), 'read');
      const versions = await store.versions(id);
      return versions.map((v) => ({
        version: v.version,
        keyVersion: v.keyVersion,
        createdAt: new Date(v.createdAt),
      }));
    },
  };
}
