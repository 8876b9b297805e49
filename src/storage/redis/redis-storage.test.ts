import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEvent } from '../../../test/helpers/audit-events.js';
import { type RedisServer, startRedisServer } from '../../../test/servers/redis-server.js';
import { newPublicId, newToken } from '../../crypto/tokens.js';
import { HushError } from '../../errors/hush-error.js';
import { createLogger } from '../../logging/logger.js';
import type { NewShareRecord } from '../share-store.js';
import { openSqliteStorage } from '../sqlite/sqlite-storage.js';
import type { SqlStorage, Storage } from '../storage.js';
import { createRedisClient } from './redis-client.js';
import { withRedis } from './redis-storage.js';

/** A failed attempt with no audit events (the store's own cases). */
const NO_EVENTS = { attempt: [], burned: [] } as const;

const logger = createLogger('silent');
const HOUR = 3_600_000;

function newShare(): NewShareRecord {
  return {
    id: newPublicId(),
    tokenHash: newToken().hash,
    receiptHash: newToken().hash,
    ciphertext: Buffer.from('sealed'),
    passphraseHash: undefined,
    passphraseScope: 'reveal',
    maxViews: 5,
    createdAt: Date.now(),
    expiresAt: Date.now() + HOUR,
  };
}

/** Settles with the call's error, or fails the test when the call hangs for 10 s. */
async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('the call hung past 10 s')), 10_000);
  });
  try {
    await Promise.race([call(), hang]);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    clearTimeout(timer);
  }
}

describe('withRedis', () => {
  let server: RedisServer;
  let redis: Redis;
  let dir: string;
  let sql: SqlStorage;
  let storage: Storage;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = await createRedisClient({ url: server.url, keyPrefix: 'hush:', timeoutMs: 1000 }, logger);
    dir = mkdtempSync(path.join(tmpdir(), 'hush-redis-storage-'));
    sql = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    storage = withRedis(sql, { redis, keyPrefix: 'hush:', shareContent: true, logger });
    await storage.migrate();
  });
  afterAll(async () => {
    await storage?.close();
    redis?.disconnect();
    await server?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps events and the key check in SQL, shares only when asked', async () => {
    expect(storage.name).toBe('sqlite+redis');
    // The SQL event store, with the outbox that Redis-held shares write their events to.
    const event = testEvent('share.created', 'kept in SQL');
    await storage.events.append([event]);
    expect((await sql.events.list({}, 0, 10)).events.map((e) => e.id)).toContain(event.id);
    expect(await storage.events.drainOutbox(Date.now())).toEqual({ moved: 0, stale: 0 });
    expect(withRedis(sql, { redis, keyPrefix: 'hush:', shareContent: false, logger }).events).toBe(
      sql.events,
    );
    expect(storage.keyCheck).toBe(sql.keyCheck);
    expect(withRedis(sql, { redis, keyPrefix: 'hush:', shareContent: false, logger }).shares).toBe(
      sql.shares,
    );
    await expect(storage.ping()).resolves.toBeUndefined();
  });

  it('answers 503 (unavailable) promptly while Redis is down, and recovers by itself', async () => {
    const share = newShare();
    await storage.shares.create(share, []);
    const lease = await storage.locks.tryAcquire('sweeper', 60_000);
    expect(lease).toBeDefined();

    await server.stop();
    const calls: Array<() => Promise<unknown>> = [
      () => storage.shares.create(newShare(), []),
      () => storage.shares.findLive(share.tokenHash, Date.now()),
      () => storage.shares.claimView(share.id, Date.now(), []),
      () => storage.shares.recordFailedAttempt(share.id, 10, Date.now(), NO_EVENTS),
      () => storage.shares.burn(share.id, 'burned', Date.now(), []),
      () => storage.locks.tryAcquire('other', 60_000),
      async () => lease?.renew(),
    ];
    for (const call of calls) {
      const error = await failureOf(call);
      expect(error).toBeInstanceOf(HushError);
      expect((error as HushError).code).toBe('unavailable');
    }
    expect(await failureOf(() => storage.ping())).toBeInstanceOf(Error);

    // The same client, untouched, comes back once Redis does.
    await server.restart();
    await expect
      .poll(
        () =>
          storage.ping().then(
            () => 'up',
            () => 'down',
          ),
        { timeout: 10_000, interval: 200 },
      )
      .toBe('up');
    const again = newShare();
    await storage.shares.create(again, []);
    expect(await storage.shares.claimView(again.id, Date.now(), [])).toMatchObject({ viewsLeft: 4 });
  });
});
