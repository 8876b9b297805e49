import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, inWaves, newMasterKey, post } from './helpers/load.js';
import { type NodeStorage, nodeStorageEnv, startedOn } from './helpers/node-storage.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';
import { tempDirs } from './helpers/temp-dirs.js';

/**
 * Exactly once across nodes: two real hush processes on one deployment's storage answer concurrent
 * reveals of the same shares. Every share with max_views = N must be revealed exactly N times in
 * total, whichever node each request hits, on every backend.
 */

const SHARES_PER_KIND = 100;
const REVEALS_PER_SHARE = 50;
/** Shares raced at once; 15 × 50 requests keeps open sockets reasonable on a small machine. */
const WAVE = 15;

interface CreatedShare {
  readonly secret: string;
  readonly maxViews: number;
  readonly secretKey: string;
  readonly receiptKey: string;
}

const BACKENDS: readonly { readonly backend: NodeStorage; readonly storage: string }[] = [
  { backend: 'sqlite', storage: 'one data directory (one SQLite file, one master key file)' },
  { backend: 'postgres', storage: 'one PostgreSQL database' },
  { backend: 'redis', storage: 'one PostgreSQL database and one Redis prefix, share content in Redis' },
];

describe.each(BACKENDS)('exactly once across two server processes on $storage', ({ backend }) => {
  const dirs = tempDirs('hush-exactly-once-');
  const servers: ServerProcess[] = [];
  const urls = () => servers.map((server) => server.url);
  let sqliteDir = '';

  beforeAll(async () => {
    const common = { HUSH_RATE_LIMIT_MAX: '0', HUSH_LOG_LEVEL: 'info', ...(await nodeStorageEnv(backend)) };
    if (backend === 'sqlite') {
      // One after the other: the first creates the master key file and runs migrations, the second
      // finds both in place, as a second node joining a running deployment would.
      sqliteDir = dirs.make();
      const env = { ...common, HUSH_DATA_DIR: sqliteDir };
      servers.push(await startServerProcess(env));
      servers.push(await startServerProcess(env));
    } else {
      // Separate machines, started together: nothing shared but the database (and Redis) and the
      // master key.
      const masterKey = newMasterKey();
      servers.push(
        ...(await Promise.all(
          [0, 1].map(() =>
            startServerProcess({ ...common, HUSH_DATA_DIR: dirs.make(), HUSH_MASTER_KEY: masterKey }),
          ),
        )),
      );
    }
    for (const server of servers) expect(startedOn(server.output())).toBe(backend);
  });

  afterAll(async () => {
    try {
      const codes = await Promise.all(servers.map((server) => server.stop()));
      expect(codes, 'both servers shut down cleanly').toEqual(servers.map(() => 0));
    } finally {
      dirs.cleanup();
    }
  });

  if (backend === 'sqlite') {
    it('shares one master key file between the nodes', () => {
      expect(existsSync(path.join(sqliteDir, 'master.key'))).toBe(true);
      expect(servers[0]?.output()).toContain('created a new master key file');
      expect(servers[1]?.output()).toContain('"source":"file"');
    });
  }

  it('reveals 100 single-view and 100 three-view shares exactly max_views times under 50 concurrent reveals each', async () => {
    const [first, second] = urls() as [string, string];
    const kinds = [
      ...Array.from({ length: SHARES_PER_KIND }, () => 1),
      ...Array.from({ length: SHARES_PER_KIND }, () => 3),
    ];

    // Created on alternating nodes, so half the reveals read a share another process wrote.
    const shares = await inWaves(kinds, 20, async (maxViews, i): Promise<CreatedShare> => {
      const secret = `secret ${i} ${randomUUID()}`;
      const created = await post(`${i % 2 === 0 ? first : second}/api/v1/shares`, {
        secret,
        max_views: maxViews,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return {
        secret,
        maxViews,
        secretKey: String(created.body.secret_key),
        receiptKey: String(created.body.receipt_key),
      };
    });

    const replies = await inWaves(shares, WAVE, (share) =>
      Promise.all(
        Array.from({ length: REVEALS_PER_SHARE }, (_, i) =>
          post(`${i % 2 === 0 ? first : second}/api/v1/shares/${share.secretKey}/reveal`, {}),
        ),
      ),
    );

    let totalViews = 0;
    for (const [i, share] of shares.entries()) {
      const forShare = replies[i] ?? [];
      const revealed = forShare.filter((reply) => reply.status === 200);
      const refused = forShare.filter((reply) => reply.status !== 200);
      const context = `share ${i} (max_views ${share.maxViews})`;

      expect(
        forShare.filter((reply) => reply.status >= 500 || reply.status === 0),
        context,
      ).toEqual([]);
      expect(revealed, context).toHaveLength(share.maxViews);
      for (const reply of revealed) expect(reply.body.secret, context).toBe(share.secret);
      expect(
        revealed.map((reply) => Number(reply.body.views_left)).sort((a, b) => a - b),
        `${context}: each view saw its own count`,
      ).toEqual(Array.from({ length: share.maxViews }, (_, n) => n));
      for (const reply of refused) {
        expect({ status: reply.status, error: reply.body.error }, context).toEqual({
          status: 404,
          error: 'not_found',
        });
      }
      totalViews += revealed.length;
    }
    expect(totalViews).toBe(SHARES_PER_KIND * 1 + SHARES_PER_KIND * 3);

    // The stored counts agree with what clients got: no view was counted twice or lost.
    const receipts = await inWaves(shares, 20, (share, i) =>
      get(`${urls()[(i + 1) % 2]}/api/v1/receipts/${share.receiptKey}`),
    );
    for (const [i, receipt] of receipts.entries()) {
      const share = shares[i] as CreatedShare;
      expect(receipt.status).toBe(200);
      expect(receipt.body).toMatchObject({ state: 'consumed', views_used: share.maxViews, views_left: 0 });
      const reads = (receipt.body.timeline as { type: string }[]).filter((event) => event.type === 'READ');
      expect(reads).toHaveLength(share.maxViews);
    }

    // Neither node logged an error (a lock timeout would show here even if it had been retried).
    for (const server of servers) expect(server.output()).not.toMatch(/"level":(50|60)/);
  }, 180_000);

  it('gives each view of a share with files one download: 10 shares × 3 views, each grant raced 10 times', async () => {
    const [first, second] = urls() as [string, string];
    const node = (i: number) => (i % 2 === 0 ? first : second);
    const shares = await inWaves(
      Array.from({ length: 10 }, (_, i) => i),
      5,
      async (i) => {
        const bytes = randomBytes(5000 + i);
        const upload = await post(`${node(i)}/api/v1/uploads`, { bytes: bytes.length });
        const { upload_id, upload_key } = upload.body as { upload_id: string; upload_key: string };
        const put = await fetch(`${node(i + 1)}/api/v1/uploads/${upload_id}/parts/0`, {
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream', 'hush-upload-key': upload_key },
          body: new Uint8Array(bytes),
        });
        expect(put.status).toBe(204);
        const created = await post(`${node(i)}/api/v1/shares`, {
          secret: `with files ${i}`,
          max_views: 3,
          upload: { id: upload_id, key: upload_key },
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        return { bytes, secretKey: String(created.body.secret_key) };
      },
    );
    for (const share of shares) {
      const reveals = await Promise.all(
        Array.from({ length: 20 }, (_, i) => post(`${node(i)}/api/v1/shares/${share.secretKey}/reveal`, {})),
      );
      const grants = reveals
        .filter((reply) => reply.status === 200)
        .map((reply) => (reply.body.files as { download_key: string }).download_key);
      expect(new Set(grants).size).toBe(3);
      for (const grant of grants) {
        const starts = await Promise.all(
          Array.from({ length: 10 }, async (_, i) => {
            const res = await fetch(`${node(i)}/api/v1/downloads/${grant}`, { method: 'POST' });
            return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
          }),
        );
        const streamed = starts.filter((start) => start.status === 200);
        expect(streamed).toHaveLength(1);
        expect(streamed[0]?.body.equals(share.bytes)).toBe(true);
        expect(starts.filter((start) => start.status !== 200).map((start) => start.status)).toEqual(
          Array.from({ length: 9 }, () => 404),
        );
      }
    }
    for (const server of servers) expect(server.output()).not.toMatch(/"level":(50|60)/);
  }, 120_000);
});
