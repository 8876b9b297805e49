import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';

/**
 * Exactly once across nodes: two real hush processes on one data directory (one SQLite file, one
 * master key file) answer concurrent reveals of the same shares. Every share with max_views = N
 * must be revealed exactly N times in total, whichever node each request hits.
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

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function post(url: string, body: unknown): Promise<Reply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function get(url: string): Promise<Reply> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** In chunks of `size`, so at most `size` items are in flight at once. */
async function inWaves<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T, index: number) => Promise<R>,
) {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    const wave = items.slice(start, start + size);
    results.push(...(await Promise.all(wave.map((item, i) => work(item, start + i)))));
  }
  return results;
}

describe('exactly once across two server processes on one data directory', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hush-exactly-once-'));
  const env = { HUSH_DATA_DIR: dataDir, HUSH_RATE_LIMIT_MAX: '0', HUSH_LOG_LEVEL: 'info' };
  const servers: ServerProcess[] = [];
  const urls = () => servers.map((server) => server.url);

  beforeAll(async () => {
    // One after the other: the first creates the master key file and runs migrations, the second
    // finds both in place, as a second node joining a running deployment would.
    servers.push(await startServerProcess(env));
    servers.push(await startServerProcess(env));
  });

  afterAll(async () => {
    try {
      const codes = await Promise.all(servers.map((server) => server.stop()));
      expect(codes, 'both servers shut down cleanly').toEqual(servers.map(() => 0));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('shares one master key file between the nodes', () => {
    expect(existsSync(path.join(dataDir, 'master.key'))).toBe(true);
    expect(servers[0]?.output()).toContain('created a new master key file');
    expect(servers[1]?.output()).toContain('"source":"file"');
  });

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
      expect(created.status).toBe(201);
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
        forShare.filter((reply) => reply.status >= 500),
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
});
