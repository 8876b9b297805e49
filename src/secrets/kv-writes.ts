import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../audit/audit-types.js';
import type { ClientInfo } from '../domain/client-info.js';
import { HushError } from '../errors/hush-error.js';
import { DEFAULT_SECRET_SETTINGS, type SecretRecord, type SecretSettings } from '../storage/secret-store.js';
import type { KvContext } from './kv-context.js';
import { versionState } from './kv-records.js';
import type { KvVersionState } from './kv-types.js';
import { sealContent } from './secret-crypto.js';
import type { SecretActor, SecretContent } from './secret-types.js';

/**
 * Tries of a write without `cas` whose content depends on the current version (a patch, kept
 * metadata) when concurrent writes keep moving it; each try is one check-and-set in the store.
 */
const ATTEMPTS = 5;

/** The version a write builds on: its state, and its content unless it was destroyed. */
export interface CurrentVersion {
  readonly state: KvVersionState;
  readonly content: SecretContent | undefined;
}

export interface WritePlan {
  /** The new version's content, or how to make it from the current version (none: undefined). */
  readonly content: SecretContent | ((current: CurrentVersion | undefined) => SecretContent);
  /** The caller's check-and-set: 0 = only a new secret, N = only if N is the current version. */
  readonly cas: number | undefined;
  /** Replaces the secret's expiry when given. */
  readonly expiresAt: number | undefined;
  /** Whether a secret that does not exist is created (by name only); otherwise not_found. */
  readonly create: boolean;
}

export interface WriteOutcome {
  readonly secret: SecretRecord;
  readonly created: boolean;
  readonly version: KvVersionState;
}

const mismatch = () => new HushError('cas_mismatch');

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

async function currentVersion(ctx: KvContext, secret: SecretRecord, at: number) {
  if (secret.currentVersion === 0) return undefined;
  const read = await ctx.store.read(secret.id, secret.currentVersion, at);
  if (!read) return undefined;
  const state = versionState(read.secret, read.version);
  return { state, content: state.destroyed ? undefined : await ctx.open(read.version) };
}

/**
 * Writes the next version of the secret `target` names, or creates it. By name, the caller needs
 * `create` or `update` there (forbidden otherwise, before anything is looked up); by id, `update`
 * on a secret it may read. The check-and-set is the store's: one atomic version bump.
 */
export async function writeVersion(
  ctx: KvContext,
  actor: SecretActor,
  target: { readonly name: string } | { readonly id: string },
  plan: WritePlan,
  client: ClientInfo,
): Promise<WriteOutcome> {
  const may = 'name' in target ? await ctx.policies.capabilities(actor, target.name) : undefined;
  if (may && !may.has('create') && !may.has('update')) throw new HushError('forbidden');
  const build = (current: CurrentVersion | undefined) =>
    typeof plan.content === 'function' ? plan.content(current) : plan.content;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const at = ctx.now();
    const secret = await ctx.find(target, at);
    if (!secret) {
      if (!plan.create || !('name' in target)) throw new HushError('not_found');
      if (!may?.has('create')) throw new HushError('forbidden');
      if (plan.cas !== undefined && plan.cas !== 0) throw mismatch();
      const init = { content: build(undefined), expiresAt: plan.expiresAt };
      const created = await createSecret(ctx, actor, target.name, init, client);
      if (created)
        return {
          secret: created,
          created: true,
          version: versionState(created, { version: 1, createdAt: at }),
        };
      if (plan.cas === 0) throw mismatch();
      continue;
    }
    if (may) {
      if (!may.has('update')) throw new HushError('forbidden');
    } else {
      await ctx.authorize(actor, secret, 'update');
    }
    if (secret.casRequired && plan.cas === undefined) {
      throw new HushError('cas_mismatch', 'This secret requires cas on every write.');
    }
    if (plan.cas !== undefined && plan.cas !== secret.currentVersion) throw mismatch();
    // Content made from the current version is written only onto that version.
    const derived = typeof plan.content === 'function';
    const content = derived ? build(await currentVersion(ctx, secret, at)) : build(undefined);
    const kek = await ctx.keyring.active();
    let events: AuditEvent[] = [];
    const result = await ctx.store.update(
      secret.id,
      {
        now: at,
        expiresAt: plan.expiresAt,
        keep: ctx.settings.get('secrets.max_versions'),
        cas: derived ? secret.currentVersion : plan.cas,
      },
      (version) => sealContent(kek, { secretId: secret.id, version }, content),
      (version) => {
        events = [ctx.event('secret.updated', actor, secret.id, { version }, client)];
        return events;
      },
    );
    if (result.status === 'written') {
      ctx.audit.stored(events);
      const version = { version: result.secret.currentVersion, createdAt: at };
      return { secret: result.secret, created: false, version: versionState(result.secret, version) };
    }
    if (result.status === 'cas_mismatch' && plan.cas !== undefined) throw mismatch();
  }
  throw new HushError('cas_mismatch', 'The secret kept changing while this write was made; try again.');
}
