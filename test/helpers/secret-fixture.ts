import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AuditService, createAuditService } from '../../src/audit/audit-service.js';
import { loadConfig } from '../../src/config/config.js';
import { createKeyring } from '../../src/crypto/keyring.js';
import { createLogger } from '../../src/logging/logger.js';
import { kvContext } from '../../src/secrets/kv-context.js';
import { createKvService } from '../../src/secrets/kv-service.js';
import type { KvService } from '../../src/secrets/kv-types.js';
import type { BatchPolicyChecker, Capability } from '../../src/secrets/policy-types.js';
import { createSecretService, type SecretService } from '../../src/secrets/secret-service.js';
import { SETTING_DEFINITIONS, type SettingKey } from '../../src/settings/setting-definitions.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import type { SqlStorage } from '../../src/storage/storage.js';

type Grant = Exclude<Capability, 'deny'>;
export const ALL_GRANTS: Grant[] = ['read', 'list', 'create', 'update', 'delete'];

/** Capabilities by user id and name prefix, deny winning: the smallest table for every rule. */
export function tablePolicies(table: Record<string, Record<string, Capability[]>>): BatchPolicyChecker {
  const decide = (userId: string) => (name: string) => {
    const rows = Object.entries(table[userId] ?? {}).filter(([prefix]) => name.startsWith(prefix));
    const all = rows.flatMap(([, capabilities]) => capabilities);
    return new Set(all.includes('deny') ? [] : all.filter((c): c is Grant => c !== 'deny'));
  };
  return {
    capabilities: async (actor, name) => decide(actor.id)(name),
    decider: async (actor) => decide(actor.id),
  };
}

/** The secret services on a fresh SQLite file, with a clock and settings a test moves by hand. */
export interface SecretFixture {
  readonly storage: SqlStorage;
  readonly audit: AuditService;
  readonly secrets: SecretService;
  readonly kv: KvService;
  readonly clock: { now: number };
  readonly overrides: Partial<Record<SettingKey, unknown>>;
  readonly logs: string[];
  close(): Promise<void>;
}

export async function openSecretFixture(policies: BatchPolicyChecker): Promise<SecretFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-secrets-'));
  const storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
  await storage.migrate();
  const clock = { now: Date.UTC(2030, 0, 1) };
  const config = loadConfig({ HUSH_DATA_DIR: dir });
  const overrides: Partial<Record<SettingKey, unknown>> = {};
  const audit = createAuditService({ events: storage.events, now: () => new Date(clock.now) });
  const logs: string[] = [];
  const ctx = kvContext({
    store: storage.secrets,
    keyring: createKeyring({ store: storage.keyring, masterKey: randomBytes(32) }),
    policies,
    audit,
    settings: { get: (key) => (overrides[key] ?? SETTING_DEFINITIONS[key].fallback(config)) as never },
    logger: createLogger('error', { write: (line: string) => logs.push(line) }),
    now: () => clock.now,
  });
  return {
    storage,
    audit,
    secrets: createSecretService(ctx),
    kv: createKvService(ctx),
    clock,
    overrides,
    logs,
    async close() {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The error code a call fails with, or 'ok'. */
export const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? String(error),
  );
