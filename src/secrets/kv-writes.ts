import type { AuditEvent } from '../audit/audit-types.js';
import type { ClientInfo } from '../domain/client-info.js';
import { HushError } from '../errors/hush-error.js';
import type { SecretRecord, SecretVersionRecord, UpdateResult } from '../storage/secret-store.js';
import type { KvContext } from './kv-context.js';
import { createSecret } from './kv-create.js';
import { versionState } from './kv-records.js';
import type { KvVersionState } from './kv-types.js';
import { sealContent } from './secret-crypto.js';
import type { SecretActor, SecretContent } from './secret-types.js';

/**
 * Tries of a write that finds the secret created or erased under it meanwhile, or built on a
 * version wrapped by a keyring key this node had not loaded yet.
 */
const ATTEMPTS = 3;

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

/** A keyring key newer than this node has loaded wraps the version a write builds on: load it, retry. */
class KeyNotLoaded extends Error {
  constructor(readonly keyVersion: number) {
    super(`keyring key ${keyVersion} not loaded yet`);
  }
}

/**
 * How a store step opens the version a new one follows: synchronously, with the keyring keys
 * loaded before the step (`keys`, every version up to `loadedUpTo`).
 */
function opener(ctx: KvContext, secret: SecretRecord, keys: ReadonlyMap<number, Buffer>, loadedUpTo: number) {
  return (previous: SecretVersionRecord | undefined): CurrentVersion | undefined => {
    if (!previous) return undefined;
    const state = versionState(secret, previous);
    if (state.destroyed) return { state, content: undefined };
    const key = keys.get(previous.keyVersion);
    if (key) return { state, content: ctx.openWith(previous, key) };
    if (previous.keyVersion > loadedUpTo) throw new KeyNotLoaded(previous.keyVersion);
    // A key that was loaded but does not open: opening reports it as unreadable.
    return { state, content: ctx.openWith(previous, Buffer.alloc(0)) };
  };
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
  const { content } = plan;
  const derived = typeof content === 'function';
  const make = typeof content === 'function' ? content : () => content;
  let needKey = 0;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const at = ctx.now();
    const secret = await ctx.find(target, at);
    if (!secret) {
      if (!plan.create || !('name' in target)) throw new HushError('not_found');
      if (!may?.has('create')) throw new HushError('forbidden');
      if (plan.cas !== undefined && plan.cas !== 0) throw mismatch();
      const init = { content: make(undefined), expiresAt: plan.expiresAt };
      const created = await createSecret(ctx, actor, target.name, init, client);
      if (created) {
        const version = versionState(created, { version: 1, createdAt: created.createdAt });
        return { secret: created, created: true, version };
      }
      if (plan.cas === 0) throw mismatch();
      continue;
    }
    if (may) {
      if (!may.has('update')) throw new HushError('forbidden');
    } else {
      await ctx.authorize(actor, secret, 'update');
    }
    const casRequired = () => new HushError('cas_mismatch', 'This secret requires cas on every write.');
    // Checked here for a quick answer; the store's bump checks it again, under its lock.
    if (secret.casRequired && plan.cas === undefined) throw casRequired();
    if (plan.cas !== undefined && plan.cas !== secret.currentVersion) throw mismatch();
    const kek = await ctx.keyring.active();
    const loadedUpTo = Math.max(kek.version, needKey);
    const current = derived
      ? opener(ctx, secret, await ctx.keysUpTo(loadedUpTo), loadedUpTo)
      : () => undefined;
    let events: AuditEvent[] = [];
    let result: UpdateResult;
    try {
      result = await ctx.store.update(
        secret.id,
        {
          now: at,
          expiresAt: plan.expiresAt,
          keep: ctx.settings.get('secrets.max_versions'),
          cas: plan.cas,
          // Content made from the current version reads it in the same step: nothing comes between.
          previous: derived,
        },
        (version, previous) => sealContent(kek, { secretId: secret.id, version }, make(current(previous))),
        (version) => {
          events = [ctx.event('secret.updated', actor, secret.id, { version }, client)];
          return events;
        },
      );
    } catch (error) {
      if (!(error instanceof KeyNotLoaded)) throw error;
      needKey = error.keyVersion;
      continue;
    }
    if (result.status === 'written') {
      ctx.audit.stored(events);
      const version = { version: result.secret.currentVersion, createdAt: at };
      return { secret: result.secret, created: false, version: versionState(result.secret, version) };
    }
    if (result.status === 'cas_mismatch') throw plan.cas === undefined ? casRequired() : mismatch();
    // The secret went away meanwhile: look again (a write by name then creates it).
  }
  throw new HushError('unavailable');
}
