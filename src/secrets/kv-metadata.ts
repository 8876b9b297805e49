import type { ClientInfo } from '../domain/client-info.js';
import { HushError } from '../errors/hush-error.js';
import type { SettingsChange } from '../storage/secret-store.js';
import type { KvContext } from './kv-context.js';
import { createSecret } from './kv-create.js';
import { metadataOf } from './kv-records.js';
import type { KvMetadata, KvSettingsChange, SecretRef } from './kv-types.js';
import { validateSettings } from './kv-validation.js';
import type { SecretActor } from './secret-types.js';

/** Tries of a settings write by name racing a create or an erase of that name. */
const ATTEMPTS = 3;

/** The settings' names as the API spells them, for the event. */
const FIELDS: Record<keyof SettingsChange, string> = {
  maxVersions: 'max_versions',
  casRequired: 'cas_required',
  deleteVersionAfterSeconds: 'delete_version_after_seconds',
  customMetadata: 'custom_metadata',
  mergeCustomMetadata: 'custom_metadata',
};

/** A secret's settings and every version it keeps, oldest first; never content. Needs `read`. */
export async function readMetadata(ctx: KvContext, actor: SecretActor, ref: SecretRef): Promise<KvMetadata> {
  const secret = await ctx.authorize(actor, await ctx.find(ref, ctx.now()), 'read');
  return metadataOf(secret, await ctx.store.versions(secret.id));
}

/**
 * Changes the given settings (needs `update`), pruning versions beyond a lowered `max_versions`
 * in the same step, audited as secret.metadata_updated (the fields' names); a labels patch is
 * merged by the store, in that same step. By name, a secret that does not exist is created with
 * these settings and no version (needs `create`), as KV v2 does; a patch of its labels is then
 * not_found, as KV v2's PATCH.
 */
export async function writeMetadata(
  ctx: KvContext,
  actor: SecretActor,
  ref: SecretRef,
  settings: KvSettingsChange,
  client: ClientInfo,
): Promise<KvMetadata> {
  const checked = validateSettings(settings);
  const fields = (Object.keys(checked) as (keyof SettingsChange)[]).map((key) => FIELDS[key]);
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const at = ctx.now();
    const secret = await ctx.find(ref, at);
    if (!secret) {
      // A patch merges into labels that exist (Vault's PATCH answers 404 for none).
      if ('id' in ref || checked.mergeCustomMetadata) throw new HushError('not_found');
      if (!(await ctx.policies.capabilities(actor, ref.name)).has('create')) throw new HushError('forbidden');
      const init = { content: undefined, expiresAt: undefined, settings: checked };
      const created = await createSecret(ctx, actor, ref.name, init, client);
      if (created) return metadataOf(created, []);
      continue;
    }
    await ctx.authorize(actor, secret, 'update');
    const events = [
      ctx.event('secret.metadata_updated', actor, secret.id, { fields: fields.join(',') }, client),
    ];
    const keep = ctx.settings.get('secrets.max_versions');
    const updated = await ctx.store.setSettings(secret.id, checked, { now: at, keep }, events);
    if (!updated) continue;
    ctx.audit.stored(events);
    return metadataOf(updated, await ctx.store.versions(secret.id));
  }
  throw new HushError('not_found');
}
