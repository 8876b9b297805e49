import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AcknowledgedShare,
  get,
  logLines,
  newMasterKey,
  post,
  type Reply,
  revealEachOnce,
  startCreateLoad,
  waitUntil,
} from './helpers/load.js';
import { startedOn } from './helpers/node-storage.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';
import { tempDirs } from './helpers/temp-dirs.js';
import { startPostgresServer } from './servers/postgres-server.js';
import { startRedisServer } from './servers/redis-server.js';
import { createTestDatabase } from './servers/test-database.js';

/**
 * Backend faults under load, one hush node: while its PostgreSQL or Redis stalls or is down, every
 * request settles within the configured timeouts with 503 `unavailable` (never a 500, never a
 * hang), /readyz says so, and the node recovers by itself once the backend is back. No share
 * acknowledged with 201, before, during or after, is lost or served twice.
 */

/** HUSH_DATABASE_*_TIMEOUT_MS and HUSH_REDIS_TIMEOUT_MS. */
const TIMEOUT_MS = 1000;
/** Every request settles within this, outage or not: the timeouts plus generous slack. */
const SETTLE_LIMIT_MS = 5000;

interface Backend {
  /** HUSH_* settings that put a node on this backend. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /**
   * Makes the backend stop answering hush for `ms` (connections stay open): requests must then
   * give up after their timeout. Resolves once the stall has begun, with `over`, which resolves
   * once it has ended.
   */
  stall(ms: number): Promise<{ readonly over: Promise<void> }>;
  destroy(): Promise<void>;
}

async function postgresBackend(): Promise<Backend> {
  const server = await startPostgresServer();
  const url = await server.createDatabase();
  return {
    env: {
      HUSH_DATABASE_URL: url,
      HUSH_DATABASE_CONNECT_TIMEOUT_MS: String(TIMEOUT_MS),
      HUSH_DATABASE_QUERY_TIMEOUT_MS: String(TIMEOUT_MS),
    },
    stop: () => server.stop(),
    restart: () => server.restart(),
    async stall(ms) {
      // A transaction holding an exclusive lock on the shares table: every share query waits on it.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('begin');
      await client.query('lock table shares in access exclusive mode');
      const over = (async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        await client.query('commit');
        await client.end();
      })();
      return { over };
    },
    destroy: () => server.destroy(),
  };
}

async function redisBackend(): Promise<Backend> {
  const server = await startRedisServer({ persistent: true });
  return {
    env: {
      HUSH_DATABASE_URL: await createTestDatabase(),
      HUSH_DATABASE_CONNECT_TIMEOUT_MS: String(TIMEOUT_MS),
      HUSH_DATABASE_QUERY_TIMEOUT_MS: String(TIMEOUT_MS),
      HUSH_REDIS_URL: server.url,
      HUSH_REDIS_KEY_PREFIX: 'faults:',
      HUSH_REDIS_TIMEOUT_MS: String(TIMEOUT_MS),
      HUSH_SHARE_STORE: 'redis',
    },
    stop: () => server.stop(),
    restart: () => server.restart(),
    async stall(ms) {
      // Redis answers no client's commands for `ms`: a server that hangs, as hush sees it.
      const client = new Redis(server.url, { maxRetriesPerRequest: 0 });
      await client.call('client', 'pause', String(ms), 'ALL');
      const over = (async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        await client.call('client', 'unpause').catch(() => undefined);
        client.disconnect();
      })();
      return { over };
    },
    destroy: () => server.destroy(),
  };
}

const describeReply = (reply: Reply) =>
  `${reply.status} ${reply.failure ?? JSON.stringify(reply.body.error ?? '')} after ${Math.round(reply.ms)} ms`;

/** Every reply is a 201 or a well-formed 503, and settled within the limit. */
function expectBoundedReplies(replies: readonly Reply[], context: string): void {
  expect(
    replies.filter((reply) => reply.status !== 201 && reply.status !== 503).map(describeReply),
    `${context}: answers other than 201 and 503`,
  ).toEqual([]);
  for (const reply of replies.filter((r) => r.status === 503)) {
    expect(reply.body, context).toEqual({
      error: 'unavailable',
      message: expect.any(String),
      request_id: expect.any(String),
    });
  }
  expect(
    replies.filter((reply) => reply.ms >= SETTLE_LIMIT_MS).map(describeReply),
    `${context}: requests that took ${SETTLE_LIMIT_MS} ms or more`,
  ).toEqual([]);
}

describe.each<{ name: string; backend: string; start: () => Promise<Backend> }>([
  { name: 'PostgreSQL', backend: 'postgres', start: postgresBackend },
  { name: 'Redis (share store)', backend: 'redis', start: redisBackend },
])('one node when $name fails', ({ backend: kind, start }) => {
  const dirs = tempDirs('hush-faults-');
  let backend: Backend;
  let node: ServerProcess;
  /** Every share acknowledged over all the tests of this backend: all must reveal once at the end. */
  const acknowledged: AcknowledgedShare[] = [];

  beforeAll(async () => {
    backend = await start();
    node = await startServerProcess({
      ...backend.env,
      HUSH_DATA_DIR: dirs.make(),
      HUSH_MASTER_KEY: newMasterKey(),
      // On, as in production (with Redis it counts in Redis), but never reached here.
      HUSH_RATE_LIMIT_MAX: '1000000',
    });
    expect(startedOn(node.output())).toBe(kind);
  });

  afterAll(async () => {
    try {
      if (node) expect(await node.stop(), 'the node shuts down cleanly').toBe(0);
    } finally {
      await backend?.destroy();
      dirs.cleanup();
    }
  });

  it('answers 503 within the timeout while the backend stalls, then serves again', async () => {
    const load = startCreateLoad({ urls: [node.url], workers: 4, timeoutMs: 20_000 });
    try {
      await load.until('30 acknowledged shares', (l) => l.acknowledged.length >= 30);
      const probe = load.acknowledged[0] as AcknowledgedShare;
      const stallStarted = Date.now();
      const stall = await backend.stall(4000);
      // Reveals wait on the stalled backend too, and give up without consuming the view.
      const reveal = await post(`${node.url}/api/v1/shares/${probe.secretKey}/reveal`);
      expect(describeReply(reveal)).toMatch(/^503 "unavailable"/);
      expect(reveal.ms).toBeLessThan(SETTLE_LIMIT_MS);
      await load.until(
        'a 503 during the stall',
        (l) => l.replies.some((r) => r.startedAt >= stallStarted && r.status === 503),
        SETTLE_LIMIT_MS * 2,
      );
      await stall.over;
      const endedAt = Date.now();
      const before = load.acknowledged.length;
      await load.until(
        '30 more acknowledged shares after the stall',
        (l) => l.acknowledged.length >= before + 30,
      );
      await load.stop();
      expectBoundedReplies(load.replies, 'stall');
      // Stalls leave no lasting damage: requests sent a moment after it ended all succeed.
      expect(
        load.replies
          .filter((r) => r.startedAt > endedAt + SETTLE_LIMIT_MS / 5 && r.status !== 201)
          .map(describeReply),
      ).toEqual([]);
    } finally {
      await load.stop();
      acknowledged.push(...load.acknowledged);
    }
  }, 60_000);

  it('answers 503 within the timeout while the backend is down, reports not ready, and recovers by itself', async () => {
    const load = startCreateLoad({ urls: [node.url], workers: 4, timeoutMs: 20_000 });
    const readiness: Reply[] = [];
    const readyz = async () => {
      const reply = await get(`${node.url}/readyz`, { timeoutMs: 20_000 });
      readiness.push(reply);
      return reply;
    };
    try {
      await load.until('30 acknowledged shares', (l) => l.acknowledged.length >= 30);
      const probe = load.acknowledged[0] as AcknowledgedShare;

      await backend.stop();
      const downAt = Date.now();
      // Down for a few seconds, long enough for the clients' reconnect attempts to back off.
      await load.until(
        '20 answers of 503 after the stop, over 3 s',
        (l) =>
          Date.now() - downAt >= 3000 &&
          l.replies.filter((r) => r.startedAt >= downAt && r.status === 503).length >= 20,
        30_000,
      );
      expect((await readyz()).status).toBe(503);
      const reveal = await post(`${node.url}/api/v1/shares/${probe.secretKey}/reveal`);
      expect(describeReply(reveal)).toMatch(/^503 "unavailable"/);
      // A peek consumes nothing; it may answer from what is still up, never "gone".
      const peek = await get(`${node.url}/api/v1/shares/${probe.secretKey}`);
      expect([200, 503]).toContain(peek.status);
      expectBoundedReplies([reveal, ...(peek.status === 503 ? [peek] : [])], 'probes while down');
      expect(peek.ms).toBeLessThan(SETTLE_LIMIT_MS);

      await backend.restart();
      await waitUntil(
        '/readyz to answer 200 again',
        async () => (await readyz()).status === 200,
        30_000,
        100,
      );
      const recoveredAt = Date.now();
      const before = load.acknowledged.length;
      await load.until(
        '30 more acknowledged shares after recovery',
        (l) => l.acknowledged.length >= before + 30,
      );
      await load.stop();

      expectBoundedReplies(load.replies, 'create load');
      expect(readiness.filter((r) => r.ms >= SETTLE_LIMIT_MS).map(describeReply), 'slow /readyz').toEqual([]);
      expect(
        readiness.filter((r) => r.status !== 200 && r.status !== 503).map(describeReply),
        '/readyz answers',
      ).toEqual([]);
      // Once ready again, the node serves every request: no pooled dead connection fails one.
      expect(
        load.replies.filter((r) => r.startedAt >= recoveredAt && r.status !== 201).map(describeReply),
        'failures after /readyz said ready',
      ).toEqual([]);
    } finally {
      await load.stop();
      acknowledged.push(...load.acknowledged);
    }
  }, 90_000);

  it('reveals every acknowledged share exactly once afterwards, and never answered 500', async () => {
    expect(acknowledged.length).toBeGreaterThan(100);
    expect(await revealEachOnce(node.url, acknowledged)).toEqual([]);
    // The request log saw no 5xx but 503, whoever sent the request.
    const statuses = logLines(node.output())
      .filter((line) => line.msg === 'request completed')
      .map((line) => Number(line.status ?? line.statusCode));
    expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
    expect(node.child.exitCode, 'the node is still running').toBeNull();
  }, 60_000);
});
