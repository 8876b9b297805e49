import type { AuditEvent, EventType } from '../audit/audit-types.js';
import type { ClientInfo } from '../domain/client-info.js';
import { HushError } from '../errors/hush-error.js';
import type { SecretRecord } from '../storage/secret-store.js';
import type { Grant, KvContext } from './kv-context.js';
import type { SecretRef, VersionSelection } from './kv-types.js';
import { validateVersions } from './kv-validation.js';
import type { SecretActor } from './secret-types.js';

/** A version change: the store method that makes it, the capability and the event it takes. */
interface Change {
  readonly method: 'deleteVersions' | 'undeleteVersions' | 'destroyVersions';
  readonly need: Grant;
  readonly type: EventType;
}

export const SOFT_DELETE: Change = {
  method: 'deleteVersions',
  need: 'delete',
  type: 'secret.versions_deleted',
};
export const UNDELETE: Change = {
  method: 'undeleteVersions',
  need: 'update',
  type: 'secret.versions_undeleted',
};
export const DESTROY: Change = {
  method: 'destroyVersions',
  need: 'delete',
  type: 'secret.versions_destroyed',
};

/**
 * Undelete cannot bring back a version `delete_version_after` deletes (a rule applied on reading,
 * not a mark that undelete clears): rather than answer done and leave it unreadable, it is a
 * bad_request naming the version, before anything changes.
 */
async function refuseHiddenByRule(
  ctx: KvContext,
  secret: SecretRecord,
  versions: readonly number[],
  at: number,
): Promise<void> {
  const after = secret.deleteVersionAfterSeconds * 1000;
  if (after === 0) return;
  const hidden = (await ctx.store.versions(secret.id)).find(
    (v) => versions.includes(v.version) && v.destroyedAt === undefined && v.createdAt + after <= at,
  );
  if (hidden) {
    throw new HushError(
      'bad_request',
      `Version ${hidden.version} is deleted by delete_version_after, which undelete does not lift: ` +
        'raise delete_version_after, or set it to 0, to read it again.',
    );
  }
}

/**
 * Applies `change` to the selected versions, in one atomic store step with its event, which lists
 * the versions it changed (`data.versions`, "1,3"); versions it skipped (unknown, or already in
 * that state) make no event. not_found when the secret went away meanwhile.
 */
export async function changeVersions(
  ctx: KvContext,
  change: Change,
  actor: SecretActor,
  ref: SecretRef,
  selection: VersionSelection,
  client: ClientInfo,
): Promise<void> {
  const versions = selection === 'latest' ? 'latest' : validateVersions(selection);
  const at = ctx.now();
  const secret = await ctx.authorize(actor, await ctx.find(ref, at), change.need);
  if (change === UNDELETE && versions !== 'latest') await refuseHiddenByRule(ctx, secret, versions, at);
  let events: readonly AuditEvent[] = [];
  const changed = await ctx.store[change.method](secret.id, versions, at, (list) => {
    events = [ctx.event(change.type, actor, secret.id, { versions: list.join(',') }, client)];
    return events;
  });
  if (!changed) throw new HushError('not_found');
  ctx.audit.stored(events);
}

/** Erases the secret and every version, with its secret.deleted event in the same step. Needs `delete`. */
export async function deleteSecret(
  ctx: KvContext,
  actor: SecretActor,
  ref: SecretRef,
  client: ClientInfo,
): Promise<void> {
  const at = ctx.now();
  const secret = await ctx.authorize(actor, await ctx.find(ref, at), 'delete');
  // Written with the erase in one step: if the event cannot be stored, nothing is erased, so a
  // retry finds the secret still there rather than a 404.
  const event = ctx.event('secret.deleted', actor, secret.id, {}, client);
  if (!(await ctx.store.delete(secret.id, at, [event]))) throw new HushError('not_found');
  ctx.audit.stored([event]);
}
