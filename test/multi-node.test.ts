import { afterEach, describe, expect, it } from 'vitest';
import {
  adminAuth,
  countBy,
  get,
  inWaves,
  logLines,
  metricValue,
  post,
  startCreateLoad,
  waitUntil,
} from './helpers/load.js';
import type { NodeStorage } from './helpers/node-storage.js';
import type { ServerProcess } from './helpers/server-process.js';
import { startNodes as startNodesOn } from './helpers/start-nodes.js';
import { tempDirs } from './helpers/temp-dirs.js';

/**
 * Two hush processes as two nodes of one deployment (own data directories, one master key, one
 * database, one Redis prefix): the work that must happen once per deployment happens once.
 */

const dirs = tempDirs('hush-multi-node-');
const servers: ServerProcess[] = [];

afterEach(async () => {
  try {
    const codes = await Promise.all(servers.splice(0).map((server) => server.stop()));
    expect(codes, 'every node shut down cleanly').toEqual(codes.map(() => 0));
  } finally {
    dirs.cleanup();
  }
});

/**
 * Starts `count` nodes on the same storage at the same moment, as a fresh deployment would (their
 * sweeper timers then tick close together); stopped after each test.
 */
async function startNodes(
  backend: NodeStorage,
  count: number,
  env: Record<string, string>,
): Promise<string[]> {
  const started = await startNodesOn(backend, count, env, dirs);
  servers.push(...started);
  return started.map((server) => server.url);
}

interface Pass {
  readonly node: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly expired: number;
}

/** The `sweeper pass` lines each node logged, as intervals. */
function sweeperPasses(nodes: readonly ServerProcess[]): Pass[] {
  return nodes.flatMap((server, node) =>
    logLines(server.output())
      .filter((line) => line.msg === 'sweeper pass')
      .map((line) => ({
        node,
        startedAt: Number(line.startedAt),
        endedAt: Number(line.endedAt),
        expired: Number(line.expired),
      })),
  );
}

/** Pairs of passes by different nodes that overlap in time (one clock: the nodes share this machine). */
function overlapping(passes: readonly Pass[]): string[] {
  const overlaps: string[] = [];
  for (const a of passes) {
    for (const b of passes) {
      if (a.node < b.node && a.startedAt < b.endedAt && b.startedAt < a.endedAt) {
        overlaps.push(
          `node ${a.node} [${a.startedAt}, ${a.endedAt}] and node ${b.node} [${b.startedAt}, ${b.endedAt}]`,
        );
      }
    }
  }
  return overlaps;
}

/**
 * Small, so a backlog takes many batches (and lease renewals) to sweep. SQLite writes are so
 * quick that its passes need batches of one to last long enough for the other node to run into them.
 */
const batchSize = (backend: NodeStorage) => (backend === 'sqlite' ? 1 : 5);
/** At least this many expiring shares, and as many more as it takes to see the lock turn a node away. */
const MIN_SHARES = 300;

describe.each<{ backend: NodeStorage; lock: string }>([
  { backend: 'sqlite', lock: 'a lease row in the shared SQLite file' },
  { backend: 'postgres', lock: 'PostgreSQL' },
  { backend: 'postgres+redis', lock: 'Redis' },
  { backend: 'redis', lock: 'Redis, share content in Redis' },
])('the sweeper on two nodes ($backend; lock in $lock)', ({ backend }) => {
  it('expires every share with exactly one EXPIRE event, one node sweeping at a time', async () => {
    const nodes = await startNodes(backend, 2, {
      HUSH_RATE_LIMIT_MAX: '0',
      HUSH_SWEEP_INTERVAL_SECONDS: '1',
      HUSH_SWEEP_BATCH_SIZE: String(batchSize(backend)),
      HUSH_SHARE_TTL_MIN_SECONDS: '1',
    });
    const skippedPasses = async () =>
      (await Promise.all(nodes.map((url) => metricValue(url, 'hush_sweeper_skipped_passes_total')))).reduce(
        (a, b) => a + b,
        0,
      );

    // Shares that expire a second after creation, created through both nodes without pause, so
    // both sweepers keep finding work. The load goes on until a node's pass has found the other
    // holding the lock (without contention, passes could not overlap even with no lock at all),
    // or until two passes did overlap.
    const load = startCreateLoad({ urls: nodes, workers: 16, fields: { ttl_seconds: 1 } });
    try {
      await waitUntil(
        `${MIN_SHARES} shares and a sweeper pass left to the other node`,
        async () =>
          load.acknowledged.length >= MIN_SHARES &&
          ((await skippedPasses()) > 0 || overlapping(sweeperPasses(servers)).length > 0),
        90_000,
        200,
      );
    } finally {
      await load.stop();
    }
    expect(countBy(load.replies.map((reply) => reply.status))).toEqual({ 201: load.replies.length });
    const created = load.acknowledged;
    const total = created.length;

    // One admin session per node: each node checks the token in the shared storage.
    const auth = await Promise.all(nodes.map((url) => adminAuth(url)));
    const expireTotal = async (node: number) => {
      const reply = await get(`${nodes[node]}/api/v1/events?type=share.expired&page_size=1`, {
        headers: auth[node],
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return Number(reply.body.total);
    };
    let polls = 0;
    await waitUntil(
      `${total} EXPIRE events`,
      async () => (await expireTotal(polls++ % 2)) >= total,
      60_000,
      200,
    );

    // Every EXPIRE event, paged, from both nodes in turn.
    const expireEvents: { subject: { id: string } }[] = [];
    for (let page = 1; ; page++) {
      const reply = await get(
        `${nodes[page % 2]}/api/v1/events?type=share.expired&page_size=100&page=${page}`,
        {
          headers: auth[(page + 1) % 2],
        },
      );
      expect(reply.status).toBe(200);
      const events = reply.body.events as { subject: { id: string } }[];
      expireEvents.push(...events);
      if (events.length < 100) break;
    }
    const perShare = countBy(expireEvents.map((event) => event.subject.id));
    expect(
      Object.entries(perShare).filter(([, n]) => n !== 1),
      'shares with more than one EXPIRE event',
    ).toEqual([]);
    expect(expireEvents).toHaveLength(total);

    // Each receipt says expired, with one EXPIRE in its timeline; together they are the events' shares.
    const receipts = await inWaves(created, 20, (share, i) =>
      get(`${nodes[(i + 1) % 2]}/api/v1/receipts/${share.receiptKey}`),
    );
    const receiptShareIds = new Set<string>();
    for (const receipt of receipts) {
      expect(receipt.status).toBe(200);
      expect(receipt.body).toMatchObject({ state: 'expired', end_reason: 'expired', views_used: 0 });
      const timeline = receipt.body.timeline as { type: string }[];
      expect(timeline.filter((event) => event.type === 'EXPIRE')).toHaveLength(1);
      receiptShareIds.add(String(receipt.body.share_id));
    }
    expect(new Set(Object.keys(perShare))).toEqual(receiptShareIds);
    // An expired share is gone whichever node is asked.
    for (const [i, share] of created.slice(0, 10).entries()) {
      expect((await post(`${nodes[i % 2]}/api/v1/shares/${share.secretKey}/reveal`)).status).toBe(404);
    }

    // What the nodes say they did adds up to one erasure per share, still after the checks above.
    expect(await expireTotal(0)).toBe(total);
    // No two passes of different nodes overlapped in time, and the lock did turn passes away.
    const passes = sweeperPasses(servers);
    expect(overlapping(passes), 'overlapping sweeper passes').toEqual([]);
    expect(passes.filter((pass) => !(pass.endedAt >= pass.startedAt))).toEqual([]);
    expect(await skippedPasses(), 'passes left to the node holding the lock').toBeGreaterThan(0);
    expect(
      passes.reduce((sum, pass) => sum + pass.expired, 0),
      'expired counts in sweeper pass logs',
    ).toBe(total);
    const swept = await Promise.all(
      nodes.map((url) => metricValue(url, 'hush_sweeper_shares_total', 'outcome="expired"')),
    );
    expect(
      swept.reduce((a, b) => a + b, 0),
      'hush_sweeper_shares_total{outcome="expired"} over both nodes',
    ).toBe(total);

    for (const server of servers) expect(server.output()).not.toMatch(/"level":(50|60)/);
  }, 180_000);
});

describe.each<{ backend: NodeStorage }>([{ backend: 'postgres+redis' }, { backend: 'redis' }])(
  'rate limits on two nodes with Redis ($backend)',
  ({ backend }) => {
    it('counts one client across both nodes: its 11th request overall is refused with 429', async () => {
      const nodes = await startNodes(backend, 2, {
        HUSH_RATE_LIMIT_MAX: '10',
        HUSH_RATE_LIMIT_WINDOW_SECONDS: '600',
        // Distinct client addresses per scenario, from X-Forwarded-For.
        HUSH_TRUST_PROXY: 'true',
      });
      const from = (client: string) => ({ headers: { 'x-forwarded-for': client } });
      const create = (node: number, client: string) =>
        post(`${nodes[node % 2]}/api/v1/shares`, { secret: 'limited' }, from(client));

      // One after the other, alternating nodes: 10 served, then refused on either node.
      const served = [];
      for (let i = 0; i < 10; i++) served.push((await create(i, '203.0.113.1')).status);
      expect(served).toEqual(Array(10).fill(201));
      const eleventh = await create(10, '203.0.113.1');
      expect({ status: eleventh.status, error: eleventh.body.error }).toEqual({
        status: 429,
        error: 'rate_limited',
      });
      expect(eleventh.body.request_id).toEqual(expect.any(String));
      expect((await create(11, '203.0.113.1')).status).toBe(429);
      // Another client is not affected.
      expect((await create(0, '203.0.113.2')).status).toBe(201);

      // All at once over both nodes: the shared counter lets exactly 10 through.
      const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => create(i, '203.0.113.3')));
      expect(countBy(burst.map((reply) => reply.status))).toEqual({ 201: 10, 429: 20 });
      for (const server of servers) expect(server.output()).not.toMatch(/"level":(50|60)/);
    }, 60_000);
  },
);
