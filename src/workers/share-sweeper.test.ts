import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { machineRecord } from '../../test/helpers/machine-records.js';
import { createAuditService } from '../audit/audit-service.js';
import { loadConfig } from '../config/config.js';
import { createPassphraseHasher } from '../crypto/passphrase-hasher.js';
import { parseToken } from '../crypto/tokens.js';
import { createLogger } from '../logging/logger.js';
import { settingDefaults } from '../settings/setting-definitions.js';
import { shareSettingsFrom } from '../settings/share-settings.js';
import { createShareService, type ShareService } from '../shares/share-service.js';
import type { LockStore } from '../storage/lock-store.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { Storage } from '../storage/storage.js';
import { createSweepJob, type Sweeper, type SweeperDeps } from './share-sweeper.js';
import { createWorkerRunner, type WorkerRunner } from './worker-runner.js';

const client = { ip: '127.0.0.1', userAgent: 'test' };

/** The sweep job on a worker runner of its own, as the server runs it. */
function createSweeper(deps: SweeperDeps & { readonly locks: LockStore }): Sweeper & WorkerRunner {
  const runner = createWorkerRunner({ locks: deps.locks, logger: deps.logger });
  return { ...runner, ...runner.add(createSweepJob(deps)) };
}
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('expiry and the sweeper', () => {
  let dir: string;
  let storage: Storage;
  let clock: number;
  let shares: ShareService;
  let sweeper: Sweeper & WorkerRunner;
  let swept: Record<string, number>;
  const hasher = createPassphraseHasher({ threads: 1 });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-expiry-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => clock;
    const settings = shareSettingsFrom(
      settingDefaults(loadConfig({ HUSH_RETENTION_SECONDS: String(24 * 3600) })),
    );
    const audit = createAuditService({ events: storage.events, now: () => new Date(clock) });
    shares = createShareService({
      store: storage.shares,
      audit,
      settings,
      masterKey: randomBytes(32),
      hasher,
      now,
    });
    swept = {};
    sweeper = createSweeper({
      store: storage.shares,
      locks: storage.locks,
      audit,
      settings,
      logger: createLogger('silent'),
      intervalMs: 60_000,
      batchSize: 3,
      eventRetentionSeconds: () => 7 * 86_400,
      now,
      onSwept: (outcome, count) => {
        swept[outcome] = (swept[outcome] ?? 0) + count;
      },
    });
  });

  afterAll(() => hasher.close());

  afterEach(async () => {
    await sweeper.stop();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never serves an expired share, even before the sweeper has run', async () => {
    const c = await shares.create({ secret: 's', ttlSeconds: 3600 }, client);
    clock += HOUR - 1;
    expect((await shares.peek(c.secretKey)).viewsLeft).toBe(1);
    clock += 1;
    await expect(shares.peek(c.secretKey)).rejects.toMatchObject({ code: 'not_found' });
    await expect(shares.reveal(c.secretKey, {}, client)).rejects.toMatchObject({ code: 'not_found' });
    await expect(shares.burn(c.secretKey, {}, client)).rejects.toMatchObject({ code: 'not_found' });
    await expect(shares.burnByReceipt(c.receiptKey, client)).rejects.toMatchObject({ code: 'not_found' });
    const receipt = await shares.receipt(c.receiptKey);
    expect(receipt).toMatchObject({ state: 'expired', endReason: 'expired', viewsLeft: 0 });
    expect(receipt.endedAt?.getTime()).toBe(clock);
  });

  it('erases expired content in batches with one share.expired event each, then purges after retention', async () => {
    const expiring = [];
    for (let i = 0; i < 7; i++)
      expiring.push(await shares.create({ secret: `e${i}`, ttlSeconds: 60 }, client));
    const live = await shares.create({ secret: 'live', ttlSeconds: 7200 }, client);
    const viewed = await shares.create({ secret: 'viewed', ttlSeconds: 7200 }, client);
    await shares.reveal(viewed.secretKey, {}, client);

    clock += 61_000;
    expect(await sweeper.runOnce()).toEqual({ expired: 7, purged: 0, eventsPurged: 0 });
    expect(swept).toEqual({ expired: 7 });
    const expireEvents = await storage.events.list({ type: 'share.expired' }, 0, 100);
    expect(expireEvents.total).toBe(7);
    expect(new Set(expireEvents.events.map((e) => e.subject?.id)).size).toBe(7);
    for (const c of expiring) {
      const record = await storage.shares.findByReceipt(parseToken(c.receiptKey)?.hash ?? '');
      expect(record).toMatchObject({ state: 'expired', ciphertext: undefined });
    }
    expect((await shares.peek(live.secretKey)).viewsLeft).toBe(1);
    expect(await sweeper.runOnce()).toEqual({ expired: 0, purged: 0, eventsPurged: 0 });

    // Content-free records stay for the retention period (1 day here) for receipts, then go.
    clock += 23 * HOUR;
    expect(await sweeper.runOnce()).toEqual({ expired: 1, purged: 0, eventsPurged: 0 }); // the 2-hour share
    expect((await shares.receipt(expiring[0]?.receiptKey ?? '')).state).toBe('expired');
    clock += 2 * HOUR;
    expect(await sweeper.runOnce()).toEqual({ expired: 0, purged: 8, eventsPurged: 0 }); // 7 expired + 1 viewed
    await expect(shares.receipt(expiring[0]?.receiptKey ?? '')).rejects.toMatchObject({ code: 'not_found' });
    await expect(shares.receipt(viewed.receiptKey)).rejects.toMatchObject({ code: 'not_found' });
    expect(swept).toEqual({ expired: 8, purged: 8 });
  });

  it('shares one pass between concurrent calls and runs on its timer', async () => {
    await shares.create({ secret: 'x', ttlSeconds: 60 }, client);
    clock += 120_000;
    const [a, b] = await Promise.all([sweeper.runOnce(), sweeper.runOnce()]);
    expect(a).toBe(b);
    expect(a.expired).toBe(1);

    const timed = createSweeper({
      store: storage.shares,
      locks: storage.locks,
      audit: createAuditService({ events: storage.events }),
      settings: shareSettingsFrom(settingDefaults(loadConfig({}))),
      logger: createLogger('silent'),
      intervalMs: 20,
      batchSize: 10,
      eventRetentionSeconds: () => 0,
      now: () => clock,
    });
    await shares.create({ secret: 'y', ttlSeconds: 60 }, client);
    clock += 120_000;
    timed.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await timed.stop();
    expect((await storage.events.list({ type: 'share.expired' }, 0, 10)).total).toBe(2);
  });

  it('stop() ends a running pass after its current batch; the next pass does the rest', async () => {
    for (let i = 0; i < 30; i++) {
      await storage.shares.create(
        {
          id: `s${i}`,
          tokenHash: `t${i}`,
          receiptHash: `r${i}`,
          ciphertext: Buffer.from('x'),
          passphraseHash: undefined,
          passphraseScope: 'reveal',
          maxViews: 1,
          createdAt: clock,
          expiresAt: clock + 60_000,
        },
        [],
      );
    }
    clock += 120_000;
    const batches: number[] = [];
    let stopped: Promise<void> | undefined;
    const stoppable = createSweeper({
      store: storage.shares,
      locks: storage.locks,
      audit: createAuditService({ events: storage.events }),
      settings: shareSettingsFrom(settingDefaults(loadConfig({}))),
      logger: createLogger('silent'),
      intervalMs: 60_000,
      batchSize: 3,
      eventRetentionSeconds: () => 0,
      now: () => clock,
      onSwept: (_, count) => {
        batches.push(count);
        stopped ??= stoppable.stop();
      },
    });
    // stop() arrives while the first batch is under way: it completes, no later one (of 10) starts.
    expect(await stoppable.runOnce()).toEqual({ expired: 3, purged: 0, eventsPurged: 0 });
    await stopped;
    expect(batches).toEqual([3]);
    expect(await stoppable.runOnce()).toEqual({ expired: 27, purged: 0, eventsPurged: 0 });
    expect((await storage.events.list({ type: 'share.expired' }, 0, 100)).total).toBe(30);
  });

  it('purges audit events older than the event retention, in batches; 0 keeps them forever', async () => {
    for (let i = 0; i < 7; i++) await shares.create({ secret: `old${i}`, ttlSeconds: 10 * 86_400 }, client);
    clock += DAY;
    await shares.create({ secret: 'new', ttlSeconds: 10 * 86_400 }, client);
    clock += 6 * DAY; // the old events are now exactly 7 days old: kept
    expect((await sweeper.runOnce()).eventsPurged).toBe(0);
    clock += 1;
    const keepForever = createSweeper({
      store: storage.shares,
      locks: storage.locks,
      audit: createAuditService({ events: storage.events }),
      settings: shareSettingsFrom(settingDefaults(loadConfig({}))),
      logger: createLogger('silent'),
      intervalMs: 60_000,
      batchSize: 3,
      eventRetentionSeconds: () => 0,
      now: () => clock,
    });
    expect((await keepForever.runOnce()).eventsPurged).toBe(0);
    expect(await sweeper.runOnce()).toEqual({ expired: 0, purged: 0, eventsPurged: 7 });
    expect(swept).toEqual({ events_purged: 7 });
    const left = await storage.events.list({}, 0, 100);
    expect(left.total).toBe(1);
    expect(left.events[0]?.createdAt.getTime()).toBe(clock - 6 * DAY - 1);
  });

  it('deletes secret_ids a day after they were revoked, expired or used up, in batches', async () => {
    const machine = machineRecord();
    await storage.machines.create(machine, [], []);
    const secretId = async (n: number, overrides: { usesLeft?: number; expiresAt?: number } = {}) => {
      const s = {
        accessor: `a${n}`,
        machineId: machine.id,
        hash: `h${n}`,
        cidrs: undefined,
        metadata: {},
        usesLeft: overrides.usesLeft,
        expiresAt: overrides.expiresAt,
        createdAt: clock,
        revokedAt: undefined,
        usedUpAt: undefined,
      };
      await storage.machines.createSecretId(s, []);
      return s;
    };
    for (let n = 0; n < 3; n++)
      await storage.machines.revokeSecretId(machine.id, (await secretId(n)).accessor, clock, []);
    await secretId(3, { expiresAt: clock + HOUR });
    await storage.machines.spendSecretId(machine.id, (await secretId(4, { usesLeft: 1 })).hash, clock);
    await secretId(5);
    await secretId(6, { usesLeft: 2 });
    await storage.machines.spendSecretId(machine.id, 'h6', clock);
    const withSecretIds = createSweeper({
      store: storage.shares,
      secretIds: storage.machines,
      locks: storage.locks,
      audit: createAuditService({ events: storage.events }),
      settings: shareSettingsFrom(settingDefaults(loadConfig({}))),
      logger: createLogger('silent'),
      intervalMs: 60_000,
      batchSize: 3,
      eventRetentionSeconds: () => 0,
      now: () => clock,
      onSwept: (outcome, count) => {
        swept[outcome] = (swept[outcome] ?? 0) + count;
      },
    });
    try {
      clock += DAY;
      expect((await withSecretIds.runOnce()).secretIdsPurged).toBe(0);
      clock += 1;
      // Revoked and used up a day ago: 4 in batches of 3. Expired an hour later: not yet.
      expect((await withSecretIds.runOnce()).secretIdsPurged).toBe(4);
      expect(swept).toEqual({ secret_ids_purged: 4 });
      clock += HOUR;
      expect((await withSecretIds.runOnce()).secretIdsPurged).toBe(1);
      const left = await Promise.all(['h3', 'h4', 'h5', 'h6'].map((h) => storage.machines.findSecretId(h)));
      expect(left.map((s) => s?.accessor)).toEqual([undefined, undefined, 'a5', 'a6']);
      expect(await sweeper.runOnce()).not.toHaveProperty('secretIdsPurged');
    } finally {
      await withSecretIds.stop();
    }
  });
});
