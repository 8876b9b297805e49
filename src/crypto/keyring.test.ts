import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqlStorage } from '../storage/storage.js';
import { DecryptionError } from './aead.js';
import { createKeyring } from './keyring.js';

describe('keyring', () => {
  const masterKey = randomBytes(32);
  let dir: string;
  let file: string;
  let storage: SqlStorage;
  const ring = (options: { key?: Buffer; now?: () => number; refreshMs?: number } = {}) =>
    createKeyring({ store: storage.keyring, masterKey: options.key ?? masterKey, ...options });
  /** Changes stored keyring rows behind the store's back, as an attacker with the file could. */
  const tamper = (sql: string, ...params: unknown[]) => {
    const db = new Database(file);
    db.prepare(sql).run(...params);
    db.close();
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-keyring-'));
    file = path.join(dir, 'hush.db');
    storage = openSqliteStorage({ file });
    await storage.migrate();
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates version 1 on first use, stores it only wrapped, and keeps using it', async () => {
    const keyring = ring();
    const first = await keyring.active();
    expect(first.version).toBe(1);
    expect(first.key).toHaveLength(32);
    const [stored] = await storage.keyring.list();
    expect(stored?.wrappedKey.includes(first.key)).toBe(false);
    expect((await keyring.active()).key.equals(first.key)).toBe(true);
    expect((await ring().get(1)).equals(first.key)).toBe(true);
  });

  it('rotates to a new active key while older versions still open', async () => {
    const keyring = ring();
    const v1 = await keyring.active();
    expect(await keyring.rotate()).toBe(2);
    const v2 = await keyring.active();
    expect(v2.version).toBe(2);
    expect(v2.key.equals(v1.key)).toBe(false);
    expect((await keyring.get(1)).equals(v1.key)).toBe(true);
  });

  it('learns of another node’s rotation: at once for a version it meets, after refreshMs for writing', async () => {
    let clock = 0;
    const here = ring({ now: () => clock, refreshMs: 1000 });
    await here.active();
    const elsewhere = ring();
    expect(await elsewhere.rotate()).toBe(2);
    expect((await here.get(2)).equals(await elsewhere.get(2))).toBe(true);
    const stale = ring({ now: () => clock, refreshMs: 1000 });
    await stale.active();
    await elsewhere.rotate();
    expect((await stale.active()).version).toBe(2);
    clock = 1000;
    expect((await stale.active()).version).toBe(3);
  });

  it('fails loudly for an unknown version, another master key, a flipped byte or a key moved to another version', async () => {
    const keyring = ring();
    await keyring.active();
    await keyring.rotate();
    await expect(keyring.get(9)).rejects.toBeInstanceOf(DecryptionError);
    await expect(ring({ key: randomBytes(32) }).get(1)).rejects.toBeInstanceOf(DecryptionError);

    tamper(
      'update keyring set wrapped_key = (select wrapped_key from keyring where version = 1) where version = 2',
    );
    await expect(ring().get(2)).rejects.toBeInstanceOf(DecryptionError);
    // The active key is broken: nothing may be written with a lower one instead.
    await expect(ring().active()).rejects.toBeInstanceOf(DecryptionError);

    const [row] = await storage.keyring.list();
    const flipped = Buffer.from(row?.wrappedKey ?? []);
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    tamper('update keyring set wrapped_key = ? where version = 1', flipped);
    await expect(ring().get(1)).rejects.toBeInstanceOf(DecryptionError);
  });
});
