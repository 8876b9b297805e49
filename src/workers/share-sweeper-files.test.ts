import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditService } from '../audit/audit-service.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { settingDefaults } from '../settings/setting-definitions.js';
import { shareSettingsFrom } from '../settings/share-settings.js';
import { createShareFiles, type ShareFiles } from '../shares/share-files.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { Storage } from '../storage/storage.js';
import { createSweepJob, type SweepResult } from './share-sweeper.js';
import { createWorkerRunner, type WorkerRunner } from './worker-runner.js';

const MINUTE = 60_000;

describe('the sweeper and files', () => {
  let dir: string;
  let blobDir: string;
  let storage: Storage;
  let clock: number;
  let files: ShareFiles;
  let runner: WorkerRunner;
  let runOnce: () => Promise<SweepResult>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-sweep-files-'));
    blobDir = path.join(dir, 'blobs');
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db'), blobDir });
    await storage.migrate();
    clock = Date.now();
    const now = () => clock;
    files = createShareFiles({
      store: storage.files,
      masterKey: randomBytes(32),
      maxFileBytes: () => 1e6,
      now,
    });
    runner = createWorkerRunner({ locks: storage.locks, logger: createLogger('silent') });
    const settings = shareSettingsFrom(settingDefaults(loadConfig({})));
    runOnce = runner.add(
      createSweepJob({
        store: storage.shares,
        files: storage.files,
        audit: createAuditService({ events: storage.events }),
        settings,
        logger: createLogger('silent'),
        intervalMs: 60_000,
        batchSize: 10,
        eventRetentionSeconds: () => 0,
        now,
      }),
    ).runOnce;
  });

  afterEach(async () => {
    await runner.stop();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('erases an upload left unattached for an hour, bytes and files', async () => {
    const upload = await files.createUpload(500);
    await files.putPart(upload.uploadId, upload.uploadKey, 0, randomBytes(500));
    expect(existsSync(path.join(blobDir, upload.uploadId))).toBe(true);
    clock += 59 * MINUTE;
    expect((await runOnce()).filesErased).toBe(0);
    clock += 2 * MINUTE;
    expect((await runOnce()).filesErased).toBe(1);
    expect(existsSync(path.join(blobDir, upload.uploadId))).toBe(false);
    await expect(files.putPart(upload.uploadId, upload.uploadKey, 0, randomBytes(500))).rejects.toMatchObject(
      {
        code: 'not_found',
      },
    );
  });

  it('removes files no row names once they are ten minutes old', async () => {
    const upload = await files.createUpload(500);
    await files.putPart(upload.uploadId, upload.uploadKey, 0, randomBytes(500));
    // What a crash between a file and its row leaves: a file of an upload no row knows.
    const orphanDir = path.join(blobDir, 'orphanUploadId0000000');
    mkdirSync(orphanDir, { mode: 0o700 });
    const orphan = path.join(orphanDir, '0.0123456789abcdef');
    writeFileSync(orphan, 'left by a crash', { mode: 0o600 });
    expect((await runOnce()).blobsOrphaned).toBe(0);
    const old = (Date.now() - 11 * MINUTE) / 1000;
    utimesSync(orphan, old, old);
    expect((await runOnce()).blobsOrphaned).toBe(1);
    expect(existsSync(orphan)).toBe(false);
    // The upload's own part stays.
    expect(existsSync(path.join(blobDir, upload.uploadId))).toBe(true);
  });
});
