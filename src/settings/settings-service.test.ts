import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditService } from '../audit/audit-service.js';
import type { Actor } from '../audit/audit-types.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { Storage } from '../storage/storage.js';
import { createSettingsService, type SettingEffects, type SettingsService } from './settings-service.js';

/** An admin as the settings service's actor. */
const as = (name: string): Actor => ({ kind: 'user', id: `u-${name}`, name });

const client = { ip: '127.0.0.1', userAgent: 'test' };

describe('settings service', () => {
  let dir: string;
  let storage: Storage;
  let logs: string[];
  const services: SettingsService[] = [];

  const start = async (pollIntervalMs = 60_000, effects: SettingEffects = {}) => {
    const service = createSettingsService({
      effects,
      store: storage.settings,
      audit: createAuditService({ events: storage.events }),
      config: loadConfig({ HUSH_DATA_DIR: dir }),
      logger: createLogger('info', { write: (line: string) => logs.push(line) }),
      pollIntervalMs,
    });
    services.push(service);
    await service.start();
    return service;
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-settings-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    logs = [];
  });
  afterEach(async () => {
    for (const service of services.splice(0)) await service.close();
    await storage.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers from its copy at start, and skips stored values that no longer fit their setting', async () => {
    const at = Date.now();
    await storage.settings.set(
      { key: 'shares.max_views', valueJson: '"7"', updatedAt: at, updatedBy: 'x' },
      0,
      [],
    );
    await storage.settings.set({ key: 'shares.gone', valueJson: '1', updatedAt: at, updatedBy: 'x' }, 1, []);
    await storage.settings.set(
      { key: 'shares.max_bytes', valueJson: '4096', updatedAt: at, updatedBy: 'x' },
      2,
      [],
    );
    const settings = await start();
    expect(settings.get('shares.max_views')).toBe(100);
    expect(settings.get('shares.max_bytes')).toBe(4096);
    const warned = logs.map((line) => JSON.parse(line)).filter((l) => l.msg.startsWith('ignoring'));
    expect(warned.map((l) => l.key)).toEqual(['shares.gone', 'shares.max_views']);
  });

  it('keeps its last values when the database goes away, logging once and no value', async () => {
    const settings = await start(20);
    await settings.set('github.role_mapping', { 'org:needle-value': 'admin' }, as('alice'), client);
    await storage.close();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(settings.get('github.role_mapping')).toEqual({ 'org:needle-value': 'admin' });
    const failures = logs.filter((line) => line.includes('settings reload failed'));
    expect(failures).toHaveLength(1);
    expect(logs.join('\n')).not.toContain('needle');
  });

  it('runs a setting’s effect after each change with the values before and after; a failure fails it', async () => {
    const seen: unknown[] = [];
    let fail = false;
    const settings = await start(60_000, {
      'github.role_mapping': async ({ previous, next, actor }) => {
        seen.push({ previous, next, actor: actor.name });
        if (fail) throw new Error('effect failed');
      },
    });
    const other = await start();
    await settings.set('github.role_mapping', { 'org:a': 'user' }, as('alice'), client);
    // A change made on another node is the previous value of the next change here.
    await other.set('github.role_mapping', { 'org:b': 'user' }, as('bob'), client);
    await settings.set('github.role_mapping', { 'org:c': 'admin' }, as('alice'), client);
    await settings.set('shares.max_views', 5, as('alice'), client);
    await settings.reset('github.role_mapping', as('carol'), client);
    expect(seen).toEqual([
      { previous: {}, next: { 'org:a': 'user' }, actor: 'alice' },
      { previous: { 'org:b': 'user' }, next: { 'org:c': 'admin' }, actor: 'alice' },
      { previous: { 'org:c': 'admin' }, next: {}, actor: 'carol' },
    ]);
    fail = true;
    await expect(
      settings.set('github.role_mapping', { 'org:d': 'user' }, as('alice'), client),
    ).rejects.toThrow('effect failed');
    // The value stays changed, and audited with it: setting it again runs the effect again.
    const [event] = (
      await createAuditService({ events: storage.events }).list({ type: 'setting.changed' }, 1, 1)
    ).events;
    expect(event?.data).toEqual({ key: 'github.role_mapping', value: '{"org:d":"user"}' });
    expect(event?.subject).toEqual({ kind: 'setting', id: 'github.role_mapping' });
    const here = await settings.fresh('github.role_mapping');
    expect(here.value).toEqual({ 'org:d': 'user' });
    // Read from the store, not the other node's copy (it polls once a minute here).
    expect(await other.fresh('github.role_mapping')).toEqual(here);
    await other.set('shares.max_views', 6, as('bob'), client);
    expect((await settings.fresh('github.role_mapping')).version).toBe(here.version + 1);
  });

  it('never lets two concurrent changes together break a rule between settings', async () => {
    const a = await start();
    const b = await start();
    for (let round = 0; round < 5; round++) {
      // Each is valid alone (default TTL 86400 s); together the minimum would pass the default.
      const results = await Promise.allSettled([
        a.set('shares.ttl_min_seconds', 50_000, as('alice'), client),
        b.set('shares.ttl_default_seconds', 40_000, as('bob'), client),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected');
      expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'invalid_setting' });
      await a.reset('shares.ttl_min_seconds', as('alice'), client);
      await a.reset('shares.ttl_default_seconds', as('alice'), client);
    }
  });
});
