import { HushError } from '../errors/hush-error.js';
import { type KvContext, kvContext, type SecretServiceDeps } from './kv-context.js';
import { listFolder } from './kv-list.js';
import { readMetadata, writeMetadata } from './kv-metadata.js';
import { readVersion } from './kv-reads.js';
import { requireReadable } from './kv-records.js';
import type { KvService, KvWritten } from './kv-types.js';
import { applyPatch, validateCas, validateData } from './kv-validation.js';
import { changeVersions, DESTROY, deleteSecret, SOFT_DELETE, UNDELETE } from './kv-versions.js';
import { type WriteOutcome, type WritePlan, writeVersion } from './kv-writes.js';
import { expiryFor, validateMetadata, validateName } from './secret-validation.js';

const written = ({ secret, created, version }: WriteOutcome): KvWritten => ({
  id: secret.id,
  name: secret.name,
  version,
  created,
  customMetadata: secret.customMetadata,
  expiresAt: secret.expiresAt === undefined ? undefined : new Date(secret.expiresAt),
});

/** KV version 2 over the secret store (the contract and its errors: kv-types.ts). */
export function createKvService(deps: SecretServiceDeps | KvContext): KvService {
  const ctx = 'authorize' in deps ? deps : kvContext(deps);
  const maxBytes = () => ctx.settings.get('secrets.max_bytes');

  return {
    async write(actor, name, input, client) {
      const data = validateData(input.data, maxBytes());
      const given = input.metadata === undefined ? undefined : validateMetadata(input.metadata);
      const plan: WritePlan = {
        // Without metadata, the new version keeps the current one's.
        content: given
          ? { data, metadata: given }
          : (current) => ({ data, metadata: current?.content?.metadata ?? {} }),
        cas: validateCas(input.cas),
        expiresAt: expiryFor(input.ttlSeconds, ctx.now()),
        create: true,
      };
      return written(await writeVersion(ctx, actor, { name: validateName(name) }, plan, client));
    },

    async patch(actor, name, patch, cas, client) {
      const plan: WritePlan = {
        content: (current) => {
          if (!current) throw new HushError('not_found');
          requireReadable(current.state, ctx.now());
          const merged = applyPatch(current.content?.data ?? {}, patch);
          return { data: validateData(merged, maxBytes()), metadata: current.content?.metadata ?? {} };
        },
        cas: validateCas(cas),
        expiresAt: undefined,
        create: false,
      };
      return written(await writeVersion(ctx, actor, { name: validateName(name) }, plan, client));
    },

    async read(actor, ref, version, client) {
      const { secret, version: state, content } = await readVersion(ctx, actor, ref, version, client);
      return {
        id: secret.id,
        name: secret.name,
        data: content.data,
        metadata: content.metadata,
        version: state,
        customMetadata: secret.customMetadata,
        expiresAt: secret.expiresAt === undefined ? undefined : new Date(secret.expiresAt),
      };
    },

    metadata: (actor, ref) => readMetadata(ctx, actor, ref),
    setMetadata: (actor, ref, settings, client) => writeMetadata(ctx, actor, ref, settings, client),
    deleteVersions: (actor, ref, versions, client) =>
      changeVersions(ctx, SOFT_DELETE, actor, ref, versions, client),
    undeleteVersions: (actor, ref, versions, client) =>
      changeVersions(ctx, UNDELETE, actor, ref, versions, client),
    destroyVersions: (actor, ref, versions, client) =>
      changeVersions(ctx, DESTROY, actor, ref, versions, client),
    deleteAll: (actor, ref, client) => deleteSecret(ctx, actor, ref, client),
    list: (actor, folder) => listFolder(ctx, actor, folder),
  };
}
