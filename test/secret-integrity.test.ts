import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging/logger.js';
import { rewrapSecrets } from '../src/secrets/secret-rewrap.js';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

const value = (name: string, version: number) => `value-of-${name}-v${version}-7f3a`;

/**
 * Stored secrets only ever decrypt as the record they were written for, with their own data key:
 * any change to the bytes at rest, or a ciphertext moved elsewhere, is refused loudly (500 with
 * secret_unreadable and an error log line), never answered with a value.
 */
describe('secret integrity at rest', () => {
  let f: HushFixture;
  let db: Database.Database;
  const ids: Record<string, string> = {};

  const read = (id: string | undefined, version?: number) =>
    f.hush.app.inject({
      method: 'GET',
      url: `/api/v1/secrets/${id}${version ? `?version=${version}` : ''}`,
      headers: f.adminAuth,
    });
  const write = async (name: string, versions: number) => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/secrets/create',
      headers: f.adminAuth,
      payload: { name, value: value(name, 1), metadata: { note: `meta-${name}` } },
    });
    const { id } = json<{ id: string }>(res);
    for (let v = 2; v <= versions; v += 1) {
      await f.hush.app.inject({
        method: 'POST',
        url: `/api/v1/secrets/${id}/update`,
        headers: f.adminAuth,
        payload: { value: value(name, v), metadata: { note: `meta-${name}` } },
      });
    }
    ids[name] = id;
    return id;
  };
  const row = (id: string | undefined, version: number) =>
    db.prepare('select * from secret_versions where secret_id = ? and version = ?').get(id, version) as {
      ciphertext: Buffer;
      wrapped_key: Buffer;
      key_version: number;
    };
  const flip = (bytes: Buffer, at: number) => {
    const copy = Buffer.from(bytes);
    copy[at] = (copy[at] ?? 0) ^ 0x01;
    return copy;
  };
  const set = (
    id: string | undefined,
    version: number,
    fields: { ciphertext?: Buffer; wrapped_key?: Buffer },
  ) => {
    const current = row(id, version);
    db.prepare(
      'update secret_versions set ciphertext = ?, wrapped_key = ? where secret_id = ? and version = ?',
    ).run(fields.ciphertext ?? current.ciphertext, fields.wrapped_key ?? current.wrapped_key, id, version);
  };

  /** The read fails with secret_unreadable, logs it, returns no value and records no read. */
  const expectUnreadable = async (id: string | undefined, version: number, name: string) => {
    const before = f.logs.length;
    const readsBefore = (await f.hush.audit.list({ type: 'secret.read' }, 1, 1)).total;
    const res = await read(id, version);
    expect(res.statusCode).toBe(500);
    expect(json(res).error).toBe('secret_unreadable');
    expect(res.body).not.toContain('value-of-');
    expect(res.body).not.toContain('meta-');
    const lines = f.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    const logged = lines.find((line) => line.msg === 'secret version could not be decrypted');
    expect(logged).toMatchObject({ level: 50, secretId: id, version });
    expect(f.logs.slice(before).join('\n')).not.toContain(value(name, version));
    expect((await f.hush.audit.list({ type: 'secret.read' }, 1, 1)).total).toBe(readsBefore);
  };

  beforeAll(async () => {
    f = await makeHush();
    for (const name of ['flip/cipher', 'flip/key', 'moved/from', 'moved/to', 'moved/versions'])
      await write(name, 2);
    db = new Database(f.config.sqlitePath);
  });
  afterAll(async () => {
    db?.close();
    await f?.close();
  });

  it('reads every untouched version', async () => {
    for (const [name, id] of Object.entries(ids)) {
      for (const version of [1, 2]) {
        expect(json(await read(id, version))).toMatchObject({
          value: value(name, version),
          metadata: { note: `meta-${name}` },
        });
      }
    }
  });

  it('refuses a ciphertext with one flipped byte', async () => {
    const id = ids['flip/cipher'];
    set(id, 1, { ciphertext: flip(row(id, 1).ciphertext, 20) });
    await expectUnreadable(id, 1, 'flip/cipher');
    expect(json(await read(id, 2))).toMatchObject({ value: value('flip/cipher', 2) });
  });

  it('refuses a wrapped data key with one flipped byte', async () => {
    const id = ids['flip/key'];
    set(id, 2, { wrapped_key: flip(row(id, 2).wrapped_key, 30) });
    await expectUnreadable(id, 2, 'flip/key');
  });

  it('refuses a ciphertext and its wrapped key copied onto another secret', async () => {
    const from = row(ids['moved/from'], 1);
    set(ids['moved/to'], 1, { ciphertext: from.ciphertext, wrapped_key: from.wrapped_key });
    await expectUnreadable(ids['moved/to'], 1, 'moved/from');
    expect(json(await read(ids['moved/from'], 1))).toMatchObject({ value: value('moved/from', 1) });
  });

  it('refuses a ciphertext and its wrapped key copied onto another version of the same secret', async () => {
    const id = ids['moved/versions'];
    const v1 = row(id, 1);
    set(id, 2, { ciphertext: v1.ciphertext, wrapped_key: v1.wrapped_key });
    await expectUnreadable(id, 2, 'moved/versions');
  });

  it('keeps reading old versions after a rotation, and after a rewrap that moves them to the new key', async () => {
    const id = await write('rotate/me', 1);
    expect(await f.hush.keyring.rotate()).toBe(2);
    // This process wrote with key 1 a moment ago; the next write uses the new active key.
    await f.hush.app.inject({
      method: 'POST',
      url: `/api/v1/secrets/${id}/update`,
      headers: f.adminAuth,
      payload: { value: value('rotate/me', 2) },
    });
    expect([row(id, 1).key_version, row(id, 2).key_version]).toEqual([1, 2]);
    const before = row(id, 1);
    expect(json(await read(id, 1))).toMatchObject({ value: value('rotate/me', 1) });

    const logger = createLogger('silent');
    const result = await rewrapSecrets({ store: f.hush.storage.secrets, keyring: f.hush.keyring, logger });
    expect(result.keyVersion).toBe(2);
    // Every key-1 version whose data key still opens moved; the three whose wrapped key was
    // altered or moved did not (a flipped ciphertext byte leaves the data key intact).
    expect(result.unreadable).toBe(3);
    expect([result.moved, result.skipped]).toEqual([8, 0]);
    const after = row(id, 1);
    expect(after.key_version).toBe(2);
    expect(after.ciphertext.equals(before.ciphertext)).toBe(true);
    expect(after.wrapped_key.equals(before.wrapped_key)).toBe(false);
    expect(json(await read(id, 1))).toMatchObject({ value: value('rotate/me', 1) });
    expect(json(await read(ids['moved/from'], 2))).toMatchObject({ value: value('moved/from', 2) });
  });
});
