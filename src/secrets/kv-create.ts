import { randomUUID } from 'node:crypto';
import type { ClientInfo } from '../domain/client-info.js';
import { DEFAULT_SECRET_SETTINGS, type SecretRecord, type SecretSettings } from '../storage/secret-store.js';
import type { KvContext } from './kv-context.js';
import { sealContent } from './secret-crypto.js';
import type { SecretActor, SecretContent } from './secret-types.js';

/**
 * Stores a new secret named `name` (version 1 of `content`, or none: a secret of settings only),
 * with its `secret.created` event in the same step. Undefined when the name is taken: the store's
 * unique name decides between concurrent creates.
 */
export async function createSecret(
  ctx: KvContext,
  actor: SecretActor,
  name: string,
  init: {
    content: SecretContent | undefined;
    expiresAt: number | undefined;
    settings?: Partial<SecretSettings>;
  },
  client: ClientInfo,
): Promise<SecretRecord | undefined> {
  const id = randomUUID();
  const at = ctx.now();
  const currentVersion = init.content ? 1 : 0;
  const secret: SecretRecord = {
    ...DEFAULT_SECRET_SETTINGS,
    ...init.settings,
    id,
    name,
    currentVersion,
    createdAt: at,
    updatedAt: at,
    expiresAt: init.expiresAt,
  };
  const kek = await ctx.keyring.active();
  const first = init.content && {
    ...sealContent(kek, { secretId: id, version: 1 }, init.content),
    secretId: id,
    version: 1,
    createdAt: at,
  };
  const event = ctx.event('secret.created', actor, id, { version: currentVersion }, client);
  if (!(await ctx.store.create(secret, first, at, [event]))) return undefined;
  ctx.audit.stored([event]);
  return secret;
}
