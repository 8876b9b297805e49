import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { testEvent } from '../../../test/helpers/audit-events.js';
import { testRedis } from '../../../test/servers/test-database.js';
import { newPublicId, newToken } from '../../crypto/tokens.js';
import type { NewShareRecord, ShareStore } from '../share-store.js';
import { openSqliteStorage } from '../sqlite/sqlite-storage.js';
import type { SqlStorage } from '../storage.js';
import { createRedisEventOutbox, type RedisEventOutbox } from './redis-event-outbox.js';
import { createRedisShareStore } from './redis-share-store.js';

/** A failed attempt with no audit events (the store's own cases). */
const NO_EVENTS = { attempt: [], burned: [] } as const;

const NOW = Date.now();
const HOUR = 3_600_000;

const server = testRedis();
let redis: Redis;
let keyPrefix: string;
let dir: string;
let sql: SqlStorage;
let store: ShareStore;
let outbox: RedisEventOutbox;
let onMirrorError: ReturnType<typeof vi.fn<(error: unknown) => void>>;

beforeAll(() => {
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis.quit();
});

beforeEach(async () => {
  // A prefix per test, so each sees only its own keys.
  keyPrefix = testRedis().keyPrefix;
  dir = mkdtempSync(path.join(tmpdir(), 'hush-redis-store-'));
  sql = openSqliteStorage({ file: path.join(dir, 'hush.db') });
  await sql.migrate();
  onMirrorError = vi.fn<(error: unknown) => void>();
  outbox = createRedisEventOutbox({ redis, keyPrefix, events: sql.events });
  store = createRedisShareStore({
    redis,
    keyPrefix,
    records: sql.shares,
    files: sql.files,
    outbox,
    onMirrorError,
  });
});
afterEach(async () => {
  await sql.close();
  rmSync(dir, { recursive: true, force: true });
});

function newShare(overrides: Partial<NewShareRecord> = {}) {
  const token = newToken();
  const receipt = newToken();
  const record: NewShareRecord = {
    id: newPublicId(),
    tokenHash: token.hash,
    receiptHash: receipt.hash,
    ciphertext: Buffer.from('sealed bytes'),
    passphraseHash: undefined,
    passphraseScope: 'reveal',
    maxViews: 1,
    createdAt: NOW,
    expiresAt: NOW + HOUR,
    ...overrides,
  };
  return { record, token, receipt };
}

/** Every key under the test's prefix with everything it holds, as raw bytes. */
async function dumpKeys(): Promise<Map<string, Buffer[]>> {
  const dump = new Map<string, Buffer[]>();
  for (const key of await redis.keys(`${keyPrefix}*`)) {
    const type = await redis.type(key);
    if (type === 'hash') dump.set(key, Object.values(await redis.hgetallBuffer(key)));
    else dump.set(key, [(await redis.getBuffer(key)) ?? Buffer.alloc(0)]);
  }
  return dump;
}

describe('Redis share store', () => {
  it('gives both keys a native expiry at expires_at, and they vanish by themselves', async () => {
    const { record } = newShare({ expiresAt: Date.now() + HOUR });
    await store.create(record, []);
    const shareKey = `${keyPrefix}share:${record.id}`;
    const tokenKey = `${keyPrefix}token:${record.tokenHash}`;
    for (const key of [shareKey, tokenKey]) {
      expect(await redis.pexpiretime(key)).toBe(record.expiresAt);
    }

    const soon = newShare({ expiresAt: Date.now() + 300 });
    await store.create(soon.record, []);
    expect(await redis.exists(`${keyPrefix}share:${soon.record.id}`)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(
      await redis.exists(`${keyPrefix}share:${soon.record.id}`, `${keyPrefix}token:${soon.record.tokenHash}`),
    ).toBe(0);
  });

  it('keeps the content in Redis only, and no token, only hashes of them', async () => {
    const { record, token, receipt } = newShare({ passphraseHash: '$argon2id$hash' });
    await store.create(record, []);

    const sqlRecord = await sql.shares.findByReceipt(record.receiptHash);
    expect(sqlRecord).toMatchObject({ id: record.id, state: 'pending', ciphertext: undefined });

    const dump = await dumpKeys();
    expect([...dump.keys()].sort()).toEqual(
      [`${keyPrefix}share:${record.id}`, `${keyPrefix}token:${record.tokenHash}`].sort(),
    );
    const everything = Buffer.concat([...dump].flatMap(([key, values]) => [Buffer.from(key), ...values]));
    for (const secret of [token, receipt]) {
      expect(everything.includes(secret.text)).toBe(false);
      expect(everything.includes(secret.bytes)).toBe(false);
    }
  });

  it('round-trips binary ciphertext holding every byte value', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const ciphertext = Buffer.concat([bytes, bytes.reverse()]);
    const { record } = newShare({ ciphertext, maxViews: 2 });
    await store.create(record, []);

    expect((await store.findLive(record.tokenHash, NOW))?.ciphertext).toEqual(ciphertext);
    expect((await store.claimView(record.id, NOW, []))?.ciphertext).toEqual(ciphertext);
  });

  it('reads back the whole record as pending', async () => {
    const { record } = newShare({ passphraseHash: 'hash', passphraseScope: 'burn', maxViews: 3 });
    await store.create(record, []);
    expect(await store.findLive(record.tokenHash, NOW)).toEqual({
      ...record,
      viewsUsed: 0,
      failedAttempts: 0,
      state: 'pending',
      endReason: undefined,
      endedAt: undefined,
    });
  });

  it('mirrors views into the SQL record: the last one leaves it consumed', async () => {
    const { record } = newShare({ maxViews: 2 });
    await store.create(record, []);

    expect(await store.claimView(record.id, NOW, [])).toMatchObject({ viewsLeft: 1 });
    expect(await sql.shares.findByReceipt(record.receiptHash)).toMatchObject({
      viewsUsed: 1,
      state: 'pending',
    });

    expect(await store.claimView(record.id, NOW + 1, [])).toMatchObject({ viewsLeft: 0 });
    expect(await sql.shares.findByReceipt(record.receiptHash)).toMatchObject({
      viewsUsed: 2,
      state: 'consumed',
      endReason: 'viewed',
      endedAt: NOW + 1,
    });
    expect(
      await redis.exists(`${keyPrefix}share:${record.id}`, `${keyPrefix}token:${record.tokenHash}`),
    ).toBe(0);
    expect(onMirrorError).not.toHaveBeenCalled();
  });

  it('mirrors a burn into the SQL record', async () => {
    const { record } = newShare();
    await store.create(record, []);

    expect(await store.burn(record.id, 'burned_by_sender', NOW + 5, [])).toBe(true);
    expect(await store.burn(record.id, 'burned_by_sender', NOW + 6, [])).toBe(false);
    expect(await sql.shares.findByReceipt(record.receiptHash)).toMatchObject({
      state: 'burned',
      endReason: 'burned_by_sender',
      endedAt: NOW + 5,
    });
    expect(
      await redis.exists(`${keyPrefix}share:${record.id}`, `${keyPrefix}token:${record.tokenHash}`),
    ).toBe(0);
  });

  it('mirrors failed passphrase attempts; the limit burns the share in both stores', async () => {
    const { record } = newShare({ passphraseHash: 'hash' });
    await store.create(record, []);

    expect(await store.recordFailedAttempt(record.id, 2, NOW, NO_EVENTS)).toEqual({
      attempts: 1,
      burned: false,
    });
    expect(await sql.shares.findByReceipt(record.receiptHash)).toMatchObject({
      failedAttempts: 1,
      state: 'pending',
    });
    expect(await store.recordFailedAttempt(record.id, 2, NOW, NO_EVENTS)).toEqual({
      attempts: 2,
      burned: true,
    });
    expect(await store.recordFailedAttempt(record.id, 2, NOW, NO_EVENTS)).toBeUndefined();
    expect(await sql.shares.findByReceipt(record.receiptHash)).toMatchObject({
      failedAttempts: 2,
      state: 'burned',
      endReason: 'passphrase_attempts',
    });
    expect(await store.findLive(record.tokenHash, NOW)).toBeUndefined();
    expect(
      await redis.exists(`${keyPrefix}share:${record.id}`, `${keyPrefix}token:${record.tokenHash}`),
    ).toBe(0);
  });

  it('still returns a claimed view when the SQL mirror fails, and reports the failure', async () => {
    const failure = new Error('SQL is down');
    const records = { ...sql.shares, mirrorViews: () => Promise.reject(failure) };
    const failing = createRedisShareStore({
      redis,
      keyPrefix,
      records,
      files: sql.files,
      outbox,
      onMirrorError,
    });
    const { record } = newShare({ maxViews: 2 });
    await failing.create(record, []);

    expect(await failing.claimView(record.id, NOW, [])).toEqual({
      ciphertext: record.ciphertext,
      viewsLeft: 1,
    });
    expect(onMirrorError).toHaveBeenCalledWith(failure);
    // The view stays spent in Redis.
    expect((await failing.findLive(record.tokenHash, NOW))?.viewsUsed).toBe(1);
  });

  it('does not write content to Redis when the SQL record cannot be created', async () => {
    const { record } = newShare();
    await store.create(record, []);
    // Same id again: the SQL insert fails, so Redis is left as it was.
    const again = newShare({ id: record.id, ciphertext: Buffer.from('other') });
    await expect(store.create(again.record, [])).rejects.toThrow();
    expect(await redis.exists(`${keyPrefix}token:${again.record.tokenHash}`)).toBe(0);
  });

  it('takes back the SQL record, without events, when the create script fails', async () => {
    const { record } = newShare({ expiresAt: NOW + 10 });
    // A string where the outbox list should be: the script's RPUSH fails, before any write.
    await redis.set(outbox.key, 'not a list');
    const created = testEvent('share.created', 'created', { subject: { kind: 'share', id: record.id } });
    await expect(store.create(record, [created])).rejects.toThrow(/WRONGTYPE/);
    await redis.del(outbox.key);

    expect(await sql.shares.findByReceipt(record.receiptHash)).toBeUndefined();
    expect(await store.expireBatch(NOW + 10, 10, () => [])).toEqual([]);
    expect(await sql.events.listForSubject({ kind: 'share', id: record.id }, 10)).toEqual([]);
    expect(onMirrorError).not.toHaveBeenCalled();
  });

  it('discards only a pending content-free record', async () => {
    const held = newShare();
    await sql.shares.create(held.record, []);
    const ended = newShare({ ciphertext: undefined });
    await sql.shares.create(ended.record, []);
    await sql.shares.burn(ended.record.id, 'burned_by_sender', NOW, []);
    const pending = newShare({ ciphertext: undefined });
    await sql.shares.create(pending.record, []);

    for (const { record } of [held, ended, pending]) await sql.shares.discard(record.id);
    expect(await sql.shares.findByReceipt(held.record.receiptHash)).toMatchObject({ state: 'pending' });
    expect(await sql.shares.findByReceipt(ended.record.receiptHash)).toMatchObject({ state: 'burned' });
    expect(await sql.shares.findByReceipt(pending.record.receiptHash)).toBeUndefined();
  });

  it('leaves expiry to the SQL records: expireBatch marks them expired', async () => {
    const { record } = newShare({ expiresAt: NOW + 10 });
    await store.create(record, []);
    expect(await store.findLive(record.tokenHash, NOW + 10)).toBeUndefined();
    expect(await store.expireBatch(NOW + 10, 10, () => [])).toEqual([record.id]);
    expect(await store.findByReceipt(record.receiptHash)).toMatchObject({ state: 'expired' });
  });
});
