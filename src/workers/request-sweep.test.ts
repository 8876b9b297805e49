import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditService } from '../audit/audit-service.js';
import { encryptAnswer, newRequestKeyPair } from '../client/request-crypto.js';
import { loadConfig } from '../config/config.js';
import { parseToken } from '../crypto/tokens.js';
import { createLogger } from '../logging/logger.js';
import { settingDefaults } from '../settings/setting-definitions.js';
import { shareSettingsFrom } from '../settings/share-settings.js';
import { createRequestService, type RequestService } from '../shares/request-service.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { Storage } from '../storage/storage.js';
import { createSweepJob, type Sweeper } from './share-sweeper.js';
import { createWorkerRunner } from './worker-runner.js';

const client = { ip: '127.0.0.1', userAgent: 'test' };
const HOUR = 3_600_000;

describe('the sweeper and secret requests', () => {
  let dir: string;
  let storage: Storage;
  let clock: number;
  let requests: RequestService;
  let sweeper: Sweeper;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-request-sweep-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => clock;
    const settings = shareSettingsFrom(
      settingDefaults(loadConfig({ HUSH_RETENTION_SECONDS: String(24 * 3600) })),
    );
    const audit = createAuditService({ events: storage.events, now: () => new Date(clock) });
    requests = createRequestService({
      store: storage.requests,
      audit,
      settings,
      masterKey: randomBytes(32),
      now,
    });
    const runner = createWorkerRunner({ locks: storage.locks, logger: createLogger('silent') });
    sweeper = runner.add(
      createSweepJob({
        store: storage.shares,
        requests: storage.requests,
        audit,
        settings,
        logger: createLogger('silent'),
        intervalMs: 60_000,
        batchSize: 2,
        eventRetentionSeconds: () => 0,
        now,
      }),
    );
  });

  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('expires open and answered requests past their time, erasing the answer, then purges them', async () => {
    const pair = await newRequestKeyPair();
    const made = await Promise.all(
      [600, 600, 600, 7200].map((ttlSeconds) => requests.create({ ttlSeconds, note: 'n' }, client)),
    );
    const [answered, open, , later] = made as [(typeof made)[0], (typeof made)[0], unknown, (typeof made)[0]];
    await requests.answer(answered.respondKey, await encryptAnswer(pair.publicKey, 'secret'), client);
    clock += HOUR;
    // Never served past its time, even before the sweep.
    await expect(requests.reveal(answered.requestKey, client)).rejects.toMatchObject({
      code: 'request_not_found',
    });
    expect((await requests.status(open.requestKey)).state).toBe('expired');

    // Three due, in batches of two.
    expect(await sweeper.runOnce()).toMatchObject({ requestsExpired: 3, requestsPurged: 0 });
    const record = await storage.requests.findByKey(parseToken(answered.requestKey)?.hash as string);
    expect(record).toMatchObject({ state: 'expired', answer: undefined });
    expect((await requests.status(answered.requestKey)).state).toBe('expired');
    expect((await requests.status(later.requestKey)).state).toBe('open');
    const expired = await storage.events.list({ type: 'request.expired' }, 0, 10);
    expect(expired.events.map((e) => e.subject?.id).sort()).toEqual(
      made
        .slice(0, 3)
        .map((m) => m.requestId)
        .sort(),
    );
    expect(await sweeper.runOnce()).toMatchObject({ requestsExpired: 0 });

    // A day of retention later the ended records go; the live one stays.
    clock += 25 * HOUR;
    expect(await sweeper.runOnce()).toMatchObject({ requestsExpired: 1, requestsPurged: 3 });
    await expect(requests.status(open.requestKey)).rejects.toMatchObject({ code: 'request_not_found' });
    expect((await requests.status(later.requestKey)).state).toBe('expired');
  });
});
