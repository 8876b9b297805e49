import type { ClientInfo } from '../domain/client-info.js';
import { actorOf } from '../domain/principal.js';
import { HushError } from '../errors/hush-error.js';
import type { SecretRecord, SecretVersionRecord } from '../storage/secret-store.js';
import type { KvContext } from './kv-context.js';
import { requireReadable, versionState } from './kv-records.js';
import type { KvVersionState, SecretRef } from './kv-types.js';
import type { SecretActor, SecretContent } from './secret-types.js';

export interface VersionRead {
  readonly secret: SecretRecord;
  readonly version: KvVersionState;
  readonly content: SecretContent;
}

async function locate(ctx: KvContext, ref: SecretRef, version: number | undefined, at: number) {
  if ('id' in ref) return ctx.store.read(ref.id, version, at);
  const secret = await ctx.find(ref, at);
  return secret && ctx.store.read(secret.id, version, at);
}

/**
 * One version's content (the current one when `version` is undefined), audited as secret.read.
 * Needs `read`: not_found otherwise, as for a version that does not exist; a deleted or destroyed
 * version is version_deleted / version_destroyed, and its content is never opened.
 */
export async function readVersion(
  ctx: KvContext,
  actor: SecretActor,
  ref: SecretRef,
  version: number | undefined,
  client: ClientInfo,
): Promise<VersionRead> {
  const at = ctx.now();
  const read: { secret: SecretRecord; version: SecretVersionRecord } | undefined = await locate(
    ctx,
    ref,
    version,
    at,
  );
  if (!read) throw new HushError('not_found');
  await ctx.authorize(actor, read.secret, 'read');
  const state = versionState(read.secret, read.version);
  requireReadable(state, at);
  const content = await ctx.open(read.version);
  // The read is the event: appended alone, and the content is answered only once it is stored.
  await ctx.audit.record({
    type: 'secret.read',
    actor: actorOf(actor),
    subject: { kind: 'secret', id: read.secret.id },
    data: { version: state.version },
    client,
  });
  return { secret: read.secret, version: state, content };
}
