import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import type { EventStore } from '../../src/storage/event-store.js';
import type { Backends } from '../../src/storage/open-storage.js';
import { eventParams, insertEvents, ownedBy } from '../../src/storage/postgres/postgres-event-rows.js';
import { createPostgresEventStore } from '../../src/storage/postgres/postgres-event-store.js';
import { createPostgresPool } from '../../src/storage/postgres/postgres-pool.js';
import type { SqlSchema } from '../../src/storage/sql/schema.js';
import { type Backend, makeBackend } from './backend-matrix.js';

/**
 * PostgreSQL hands out seq at insert, not at commit: a transaction that took a lower seq may
 * commit after one that took a higher. The cursor must never pass a seq that can still commit.
 */

const event = (id: string): AuditEvent => ({
  id,
  seq: undefined,
  type: 'share.created',
  actor: { kind: 'anonymous', id: undefined, name: undefined },
  subject: { kind: 'share', id: `share-${id}` },
  data: {},
  clientIp: undefined,
  userAgent: undefined,
  requestId: undefined,
  createdAt: new Date(),
});

const ids = (page: { events: readonly AuditEvent[] }) => page.events.map((e) => e.id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('postgres event cursor, with seqs committing out of order', () => {
  let backend: Backend;
  let opened: Backends;
  let url: string;
  let pool: pg.Pool;
  let db: Kysely<SqlSchema>;

  /** A transaction of its own that has inserted `e` (so took its seq) and not committed yet. */
  async function holding(e: AuditEvent) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('begin');
    await client.query(insertEvents(1), eventParams(ownedBy('', [e])));
    const end = async (how: 'commit' | 'rollback') => {
      await client.query(how);
      await client.end();
    };
    return { commit: () => end('commit'), rollback: () => end('rollback') };
  }

  /** The store of this database with a settle window of its own. */
  const storeWith = (settleMs: number): EventStore => createPostgresEventStore(pool, db, { settleMs });

  beforeAll(async () => {
    backend = await makeBackend('postgres');
    opened = await backend.open();
    url = backend.env.HUSH_DATABASE_URL ?? '';
    const database = loadConfig(backend.env).database;
    if (!database) throw new Error('expected a PostgreSQL configuration');
    pool = createPostgresPool(database, createLogger('silent'));
    db = new Kysely<SqlSchema>({ dialect: new PostgresDialect({ pool }) });
  });
  afterAll(async () => {
    await db?.destroy();
    await opened?.close();
    backend?.cleanup();
  });

  it('does not pass a seq still in flight: the higher one waits until the lower commits', async () => {
    const events = opened.storage.events;
    const { next: start } = await events.after(0, 100, {});
    const slow = await holding(event('slow'));
    await events.append([event('fast')]);
    // `fast` is committed, and a cursor read without a horizon would hand it out now.
    expect((await events.list({}, 0, 10)).events.map((e) => e.id)).toContain('fast');
    expect(await events.after(start, 100, {})).toEqual({ events: [], next: start });
    // Nor does a filter that matches only `fast` move the cursor past `slow`'s seq.
    const onlyFast = { subject: 'share-fast' };
    expect(await events.after(start, 100, onlyFast)).toEqual({ events: [], next: start });

    await slow.commit();
    const page = await events.after(start, 100, {});
    expect(ids(page)).toEqual(['slow', 'fast']);
    const [low, high] = page.events.map((e) => e.seq ?? 0);
    expect(low).toBeLessThan(high ?? 0);
    expect(page.next).toBe(high);
    expect(await events.after(start, 100, onlyFast)).toEqual({ events: [page.events[1]], next: high });
  });

  it('judges a gap by when its next row was stored, not by when that event was built', async () => {
    const events = opened.storage.events;
    const { next: start } = await events.after(0, 100, {});
    const slow = await holding(event('in-flight'));
    // As the Redis outbox moves what a crash left behind: built an hour ago, stored just now.
    await events.append([{ ...event('left-behind'), createdAt: new Date(Date.now() - 3_600_000) }]);
    expect(await events.after(start, 100, {})).toEqual({ events: [], next: start });
    await slow.commit();
    expect(ids(await events.after(start, 100, {}))).toEqual(['in-flight', 'left-behind']);
  });

  it('stops at the first young gap: what precedes it is read, what follows waits', async () => {
    const events = storeWith(60_000);
    const { next: start } = await events.after(0, 100, {});
    await events.append([event('before')]);
    const slow = await holding(event('held'));
    await events.append([event('behind')]);
    const page = await events.after(start, 100, {});
    expect(ids(page)).toEqual(['before']);
    expect(page.next).toBe(page.events[0]?.seq);
    await slow.commit();
    expect(ids(await events.after(page.next, 100, {}))).toEqual(['held', 'behind']);
  });
  it('passes a seq whose transaction rolled back once the settle window is over', async () => {
    const settleMs = 3000;
    const events = storeWith(settleMs);
    const { next: start } = await events.after(0, 100, {});
    const doomed = await holding(event('doomed'));
    await events.append([event('survivor')]);
    const appended = Date.now();
    await doomed.rollback();
    // The seq `doomed` took will never commit, but the cursor cannot know yet: it waits.
    expect(await events.after(start, 100, {})).toEqual({ events: [], next: start });
    expect(Date.now() - appended).toBeLessThan(settleMs);

    await sleep(appended + settleMs + 200 - Date.now());
    const page = await events.after(start, 100, {});
    expect(ids(page)).toEqual(['survivor']);
    expect(page.next).toBe(page.events[0]?.seq);
  });

  it('passes a seq an id already stored used up, once the settle window is over', async () => {
    const settleMs = 3000;
    const events = storeWith(settleMs);
    await events.append([event('once')]);
    const { next: start } = await events.after(0, 100, {});
    // `on conflict do nothing` takes a seq for the skipped row as well: a gap before `twice`.
    await events.append([event('once'), event('twice')]);
    const appended = Date.now();
    expect(await events.after(start, 100, {})).toEqual({ events: [], next: start });
    expect(Date.now() - appended).toBeLessThan(settleMs);

    await sleep(appended + settleMs + 200 - Date.now());
    expect(ids(await events.after(start, 100, {}))).toEqual(['twice']);
  });
});
