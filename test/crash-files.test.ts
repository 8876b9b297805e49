import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newMasterKey, post } from './helpers/load.js';
import { type NodeStorage, nodeStorageEnv, startedOn } from './helpers/node-storage.js';
import { startServerProcess } from './helpers/server-process.js';
import { tempDirs } from './helpers/temp-dirs.js';

/**
 * `kill -9` during part uploads loses no acknowledged part: a node taking the parts of one upload
 * from several clients at once is SIGKILLed mid-stream; a new node on the same data then takes
 * only the parts that were never answered 204, attaches the upload (which needs every part) and
 * gives the whole stream back byte for byte.
 */

const PART = 1024 * 1024;
const PARTS = 16;
/** Parts answered 204 before the kill (the kill lands while others are in flight). */
const BEFORE_KILL = 6;

const dirs = tempDirs('hush-crash-files-');
afterAll(() => dirs.cleanup());

const putPart = async (url: string, uploadId: string, key: string, n: number, body: Buffer) => {
  try {
    const res = await fetch(`${url}/api/v1/uploads/${uploadId}/parts/${n}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'hush-upload-key': key },
      body: new Uint8Array(body),
    });
    return res.status;
  } catch {
    return 0;
  }
};

describe.each([
  { backend: 'sqlite', blobs: false },
  { backend: 'sqlite', blobs: true },
  { backend: 'postgres', blobs: false },
  { backend: 'redis', blobs: false },
] as { backend: NodeStorage; blobs: boolean }[])(
  'kill -9 during part uploads ($backend, HUSH_BLOB_DIR: $blobs)',
  ({ backend, blobs }) => {
    it('keeps every part acknowledged before the kill', async () => {
      const dataDir = dirs.make();
      const env = {
        ...(await nodeStorageEnv(backend)),
        HUSH_DATA_DIR: dataDir,
        HUSH_MASTER_KEY: newMasterKey(),
        HUSH_RATE_LIMIT_MAX: '0',
        ...(blobs && { HUSH_BLOB_DIR: path.join(dataDir, 'blobs') }),
      };
      const parts = Array.from({ length: PARTS }, (_, n) => randomBytes(n === PARTS - 1 ? 1234 : PART));
      const total = parts.reduce((sum, part) => sum + part.length, 0);

      const node = await startServerProcess(env);
      expect(startedOn(node.output())).toBe(backend);
      const upload = await post(`${node.url}/api/v1/uploads`, { bytes: total });
      expect(upload.status).toBe(201);
      const uploadId = String(upload.body.upload_id);
      const key = String(upload.body.upload_key);

      const acknowledged = new Set<number>();
      let next = 0;
      let killed: Promise<void> | undefined;
      const worker = async () => {
        while (next < PARTS && !killed) {
          const n = next++;
          const status = await putPart(node.url, uploadId, key, n, parts[n] as Buffer);
          if (status === 204) acknowledged.add(n);
          else expect(status, `part ${n}`).toBe(0);
          if (acknowledged.size >= BEFORE_KILL) killed ??= node.kill();
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
      await killed;
      expect(acknowledged.size).toBeGreaterThanOrEqual(BEFORE_KILL);
      expect(acknowledged.size, 'the kill landed before every part was sent').toBeLessThan(PARTS);

      const survivor = await startServerProcess(env);
      try {
        // Only what was never acknowledged goes again: a lost part would leave the upload incomplete.
        for (let n = 0; n < PARTS; n++) {
          if (!acknowledged.has(n))
            expect(await putPart(survivor.url, uploadId, key, n, parts[n] as Buffer)).toBe(204);
        }
        const created = await post(`${survivor.url}/api/v1/shares`, {
          secret: 'files after a crash',
          upload: { id: uploadId, key },
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        const revealed = await post(`${survivor.url}/api/v1/shares/${created.body.secret_key}/reveal`, {});
        const files = revealed.body.files as { download_key: string; bytes: number };
        expect(files.bytes).toBe(total);
        const res = await fetch(`${survivor.url}/api/v1/downloads/${files.download_key}`, { method: 'POST' });
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.concat(parts))).toBe(true);
      } finally {
        expect(await survivor.stop()).toBe(0);
      }
    }, 120_000);
  },
);
