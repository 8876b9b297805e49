import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedFileLimit, UPLOAD_PART_BYTES } from '../src/client/file-format.js';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

interface Upload {
  upload_id: string;
  upload_key: string;
  part_bytes: number;
  expires_at: string;
}

/** Every file below `dir`, with its mode. */
function filesBelow(dir: string): { file: string; mode: number; isDir: boolean }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => {
    const info = statSync(path.join(dir, name));
    return { file: name, mode: info.mode & 0o777, isDir: info.isDirectory() };
  });
}

function describeFiles(name: string, env: () => Record<string, string>) {
  describe(`native files API (${name})`, () => {
    let f: HushFixture;
    beforeAll(async () => {
      f = await makeHush(env());
    });
    afterAll(() => f.close());

    const inject = (options: InjectOptions) => f.hush.app.inject(options);
    const openUpload = async (bytes: number) => {
      const res = await inject({ method: 'POST', url: '/api/v1/uploads', payload: { bytes } });
      expect(res.statusCode, res.body).toBe(201);
      return json<Upload>(res);
    };
    const putPart = (upload: Upload, n: number, body: Buffer, key = upload.upload_key) =>
      inject({
        method: 'PUT',
        url: `/api/v1/uploads/${upload.upload_id}/parts/${n}`,
        headers: { 'content-type': 'application/octet-stream', 'hush-upload-key': key },
        payload: body,
      });
    const uploadAll = async (bytes: Buffer) => {
      const upload = await openUpload(bytes.length);
      for (let n = 0; n * UPLOAD_PART_BYTES < bytes.length || n === 0; n++) {
        const res = await putPart(
          upload,
          n,
          bytes.subarray(n * UPLOAD_PART_BYTES, (n + 1) * UPLOAD_PART_BYTES),
        );
        expect(res.statusCode, res.body).toBe(204);
      }
      return upload;
    };
    const createShare = (upload: Upload, extra: Record<string, unknown> = {}) =>
      inject({
        method: 'POST',
        url: '/api/v1/shares',
        payload: { secret: 'manifest', upload: { id: upload.upload_id, key: upload.upload_key }, ...extra },
      });
    const reveal = async (secretKey: string) => {
      const res = await inject({ method: 'POST', url: `/api/v1/shares/${secretKey}/reveal` });
      expect(res.statusCode, res.body).toBe(200);
      return json<{ secret: string; files?: { download_key: string; bytes: number; expires_at: string } }>(
        res,
      );
    };
    const download = (key: string) => inject({ method: 'POST', url: `/api/v1/downloads/${key}` });
    /** The part rows and (in HUSH_BLOB_DIR mode) the files of the bytes now stored. */
    const stored = () => {
      const db = new Database(f.config.sqlitePath, { readonly: true });
      const rows = db.prepare('select count(*) as n from upload_parts').get() as { n: number };
      db.close();
      const blobs = f.config.blobDir ? filesBelow(f.config.blobDir).filter((entry) => !entry.isDir) : [];
      return { parts: rows.n, blobs: blobs.length };
    };

    it('takes parts, attaches them to a share, gives them back once, then erases them', async () => {
      const bytes = randomBytes(2 * UPLOAD_PART_BYTES + 12_345);
      const upload = await openUpload(bytes.length);
      expect(upload.part_bytes).toBe(UPLOAD_PART_BYTES);
      // A retry replaces a part: the first copy of part 1 is wrong, the second right.
      expect((await putPart(upload, 1, randomBytes(UPLOAD_PART_BYTES))).statusCode).toBe(204);
      for (const n of [0, 1, 2]) {
        const res = await putPart(
          upload,
          n,
          bytes.subarray(n * UPLOAD_PART_BYTES, (n + 1) * UPLOAD_PART_BYTES),
        );
        expect(res.statusCode, res.body).toBe(204);
      }
      expect(stored()).toEqual({ parts: 3, blobs: f.config.blobDir ? 3 : 0 });
      if (f.config.blobDir) {
        for (const entry of filesBelow(f.config.blobDir))
          expect(entry.mode).toBe(entry.isDir ? 0o700 : 0o600);
      }
      const created = await createShare(upload);
      expect(created.statusCode, created.body).toBe(201);
      // Attached: no more parts, and no second share.
      expect((await putPart(upload, 0, bytes.subarray(0, UPLOAD_PART_BYTES))).statusCode).toBe(404);
      expect(json(await createShare(upload)).error).toBe('upload_incomplete');

      const revealed = await reveal(json<{ secret_key: string }>(created).secret_key);
      expect(revealed.secret).toBe('manifest');
      expect(revealed.files?.bytes).toBe(bytes.length);
      const res = await download(revealed.files?.download_key ?? '');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect(res.headers['content-length']).toBe(String(bytes.length));
      expect(res.rawPayload.equals(bytes)).toBe(true);
      expect((await download(revealed.files?.download_key ?? '')).statusCode).toBe(404);
      // The erase follows the end of the stream.
      await expect.poll(stored).toEqual({ parts: 0, blobs: 0 });
    });

    it('keeps the bytes for a second view, and erases them after the last download', async () => {
      const bytes = randomBytes(1000);
      const created = await createShare(await uploadAll(bytes), { max_views: 2 });
      const { secret_key } = json<{ secret_key: string }>(created);
      const first = await reveal(secret_key);
      const second = await reveal(secret_key);
      expect((await download(first.files?.download_key ?? '')).rawPayload.equals(bytes)).toBe(true);
      // The first download's end leaves them: the second view's grant may still use them.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stored().parts).toBe(1);
      expect((await download(second.files?.download_key ?? '')).rawPayload.equals(bytes)).toBe(true);
      await expect.poll(stored).toEqual({ parts: 0, blobs: 0 });
    });

    it('erases the bytes when the share is burned, and its grants with them', async () => {
      const created = json<{ secret_key: string }>(
        await createShare(await uploadAll(randomBytes(10)), { max_views: 3 }),
      );
      const grant = await reveal(created.secret_key);
      expect(
        (await inject({ method: 'DELETE', url: `/api/v1/shares/${created.secret_key}` })).statusCode,
      ).toBe(204);
      // In the burn's own step: gone when it answers.
      expect(stored()).toEqual({ parts: 0, blobs: 0 });
      expect((await download(grant.files?.download_key ?? '')).statusCode).toBe(404);
    });

    it('refuses what does not fit: sizes, keys, part numbers, incomplete uploads', async () => {
      const tooLarge = await inject({
        method: 'POST',
        url: '/api/v1/uploads',
        payload: { bytes: storedFileLimit(25 * 1024 * 1024) + 1 },
      });
      expect(tooLarge.statusCode).toBe(400);
      expect(json(tooLarge).error).toBe('file_too_large');
      const upload = await openUpload(UPLOAD_PART_BYTES + 10);
      const part0 = randomBytes(UPLOAD_PART_BYTES);
      expect(json(await putPart(upload, 0, part0, 'A'.repeat(43))).error).toBe('not_found');
      expect((await putPart(upload, 0, part0, 'nope')).statusCode).toBe(404);
      expect((await putPart({ ...upload, upload_id: 'B'.repeat(22) }, 0, part0)).statusCode).toBe(404);
      expect(json(await putPart(upload, 2, randomBytes(10))).error).toBe('part_out_of_range');
      expect((await putPart(upload, -1, randomBytes(10))).statusCode).toBe(400);
      expect(json(await putPart(upload, 1, randomBytes(11))).error).toBe('part_out_of_range');
      expect(json(await putPart(upload, 0, randomBytes(10))).error).toBe('part_out_of_range');
      expect((await putPart(upload, 0, randomBytes(UPLOAD_PART_BYTES + 1))).statusCode).toBe(413);
      expect((await putPart(upload, 0, part0)).statusCode).toBe(204);
      // One part of two: the create fails as a whole and no share exists.
      const incomplete = await createShare(upload);
      expect(incomplete.statusCode).toBe(400);
      expect(json(incomplete).error).toBe('upload_incomplete');
      expect(json(await createShare({ ...upload, upload_key: 'C'.repeat(43) })).error).toBe(
        'upload_incomplete',
      );
      expect((await putPart(upload, 1, randomBytes(10))).statusCode).toBe(204);
      expect((await createShare(upload)).statusCode).toBe(201);
      expect((await download('D'.repeat(43))).statusCode).toBe(404);
      expect((await download('short')).statusCode).toBe(404);
    });

    it('follows shares.max_file_bytes', async () => {
      const set = await inject({
        method: 'POST',
        url: '/api/v1/sys/setting',
        headers: f.adminAuth,
        payload: { key: 'shares.max_file_bytes', value: 1000 },
      });
      expect(set.statusCode, set.body).toBe(200);
      const over = await inject({
        method: 'POST',
        url: '/api/v1/uploads',
        payload: { bytes: storedFileLimit(1000) + 1 },
      });
      expect(json(over).error).toBe('file_too_large');
      await openUpload(storedFileLimit(1000));
      await inject({
        method: 'POST',
        url: '/api/v1/sys/setting/shares.max_file_bytes/reset',
        headers: f.adminAuth,
      });
    });
  });
}

describeFiles('bytes in SQLite rows', () => ({}));
describeFiles('HUSH_BLOB_DIR', () => ({
  HUSH_BLOB_DIR: path.join(process.env.TMPDIR ?? '/tmp', `hush-blobs-${randomBytes(6).toString('hex')}`),
}));
