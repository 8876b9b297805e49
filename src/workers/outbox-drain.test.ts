import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { testEvent } from '../../test/helpers/audit-events.js';
import { testRedis } from '../../test/servers/test-database.js';
import {
  createRedisEventOutbox,
  type RedisEventOutbox,
  withOutbox,
} from '../storage/redis/redis-event-outbox.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqlStorage } from '../storage/storage.js';
import { createOutboxDrainJob, type OutboxDrainDeps } from './outbox-drain.js';
import { createWorkerRunner } from './worker-runner.js';

const INTERVAL_MS = 5_000;

let redis: Redis;
let dir: string;
let sql: SqlStorage;
let outbox: RedisEventOutbox;

beforeAll(() => {
  redis = new Redis(testRedis().url);
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-outbox-drain-'));
  sql = openSqliteStorage({ file: path.join(dir, 'hush.db') });
  await sql.migrate();
  outbox = createRedisEventOutbox({ redis, keyPrefix: testRedis().keyPrefix, events: sql.events });
});
afterEach(async () => {
  await sql.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The drain job on a worker runner of its own, as the server runs it. */
function drainJob(onLeftBehind: OutboxDrainDeps['onLeftBehind']) {
  const runner = createWorkerRunner({ locks: sql.locks, logger: pino({ enabled: false }) });
  return runner.add(
    createOutboxDrainJob({ events: withOutbox(sql.events, outbox), intervalMs: INTERVAL_MS, onLeftBehind }),
  );
}

/** Events in the outbox as a share script leaves them, created `ageMs` ago each. */
async function leaveInOutbox(...agesMs: number[]) {
  const events = agesMs.map((age) =>
    testEvent('share.viewed', `${age} ms old`, { createdAt: new Date(Date.now() - age) }),
  );
  await redis.rpush(outbox.key, ...events.map(outbox.encode));
  return events;
}

describe('the outbox drain job', () => {
  it('reports only events older than one interval as left behind, and moves them all', async () => {
    const onLeftBehind = vi.fn<(count: number) => void>();
    const job = drainJob(onLeftBehind);
    const events = await leaveInOutbox(60_000, INTERVAL_MS + 1_000, 100);

    expect(await job.runOnce()).toBe(3);
    expect(onLeftBehind).toHaveBeenCalledExactlyOnceWith(2);
    expect((await sql.events.list({}, 0, 10)).events.map((e) => e.id).sort()).toEqual(
      events.map((e) => e.id).sort(),
    );
    expect(await redis.llen(outbox.key)).toBe(0);
  });

  it('says nothing when it only moved events of requests still moving their own', async () => {
    const onLeftBehind = vi.fn<(count: number) => void>();
    const job = drainJob(onLeftBehind);
    await leaveInOutbox(0, 200);

    expect(await job.runOnce()).toBe(2);
    expect(onLeftBehind).not.toHaveBeenCalled();
    expect(await job.runOnce()).toBe(0);
    expect(onLeftBehind).not.toHaveBeenCalled();
  });
});
