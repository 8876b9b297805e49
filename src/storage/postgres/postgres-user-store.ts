import type pg from 'pg';
import { TOKEN_SQL } from '../sql/token-statements.js';
import { userFromRow } from '../sql/user-rows.js';
import { USER_SQL } from '../sql/user-statements.js';
import { type GuardedOutcome, skeletonOf, type UserStore } from '../user-store.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { runPostgres } from './postgres-prepared.js';
import { inTransaction } from './postgres-transaction.js';

/**
 * PostgreSQL's own statements; the rest are shared (sql/user-statements.ts). The insert writes its
 * events in the same statement (postgres-event-rows.ts); the locks keep the last-admin rule.
 */
const SQL = {
  // The unique username (GitHub id, username skeleton) decides between concurrent creates: the
  // loser inserts nothing.
  insert: `with created as (
      insert into users (id, username, email, role, password_hash, created_at, github_id, username_skeleton)
      values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing returning id),
    logged as (${insertEvents(9, 'join created on created.id = e.owner')})
    select count(*)::int as created from created`,
  /**
   * The last-admin rule: every change that may take admin away first locks all admin rows, in id
   * order (so two such changes wait for each other and never deadlock). Under READ COMMITTED a
   * row locked after a wait is re-read: one deleted or demoted meanwhile drops out, so the count
   * is of the admins that remain. A plain count in a WHERE would read a snapshot from before the
   * other change committed, and both would pass.
   */
  lockAdmins: `select id from users where role = 'admin' order by id for update`,
  lockById: `select id, role from users where id = $1 for update`,
  insertEvents: insertEvents(1),
  // Deleting an account: lock its row (after the admins; a policy or session being created for it
  // holds a share lock on it: wait for that), then delete its policies and sessions with a snapshot
  // taken after the lock, then the row.
  lockForDelete: `select id, role from users where username = $1 for update`,
} as const;

/** Whether taking admin from `row` leaves none: `admins` are those locked (see lockAdmins). */
function isLastAdmin(row: { id: string; role: string }, admins: ReadonlySet<string>): boolean {
  return row.role === 'admin' && ![...admins].some((id) => id !== row.id);
}

/** Accounts in PostgreSQL: one prepared statement per call. */
export function createPostgresUserStore(pool: pg.Pool): UserStore {
  const run = <R extends pg.QueryResultRow>(
    name: keyof typeof SQL,
    values: unknown[],
    on: pg.Pool | pg.PoolClient = pool,
  ) => on.query<R>({ name: `hush_user_${name}`, text: SQL[name], values });
  /** `work` in a transaction that holds every admin row locked (see lockAdmins); it gets their ids. */
  const guarded = (work: (client: pg.PoolClient, admins: ReadonlySet<string>) => Promise<GuardedOutcome>) =>
    inTransaction(pool, async (client) => {
      const admins = (await run<{ id: string }>('lockAdmins', [], client)).rows.map((row) => row.id);
      return work(client, new Set(admins));
    });
  return {
    create: async (user, events = []) =>
      (
        await run<{ created: number }>('insert', [
          user.id,
          user.username,
          user.email ?? null,
          user.role,
          user.passwordHash,
          user.createdAt,
          user.githubId ?? null,
          skeletonOf(user),
          ...eventParams(ownedBy(user.id, events)),
        ])
      ).rows[0]?.created === 1,
    async findByUsername(username) {
      const row = (await runPostgres(pool, USER_SQL.findByUsername, { username })).rows[0];
      return row && userFromRow(row);
    },
    async findByGithubId(githubId) {
      const row = (await runPostgres(pool, USER_SQL.findByGithubId, { githubId })).rows[0];
      return row && userFromRow(row);
    },
    async findById(id) {
      const row = (await runPostgres(pool, USER_SQL.findById, { id })).rows[0];
      return row && userFromRow(row);
    },
    setRoleUnlessLastAdmin: (id, role, events) =>
      guarded(async (client, admins) => {
        const row = (await run<{ id: string; role: string }>('lockById', [id], client)).rows[0];
        if (!row) return 'not_found';
        if (role !== 'admin' && isLastAdmin(row, admins)) return 'last_admin';
        await runPostgres(client, USER_SQL.setRole, { id, role });
        await run('insertEvents', eventParams(ownedBy(id, events)), client);
        return 'done';
      }),
    async list(offset, limit) {
      const [{ rows: count }, { rows }] = await Promise.all([
        runPostgres(pool, USER_SQL.count, {}),
        runPostgres(pool, USER_SQL.page, { limit, offset }),
      ]);
      return { total: count[0]?.total ?? 0, users: rows.map(userFromRow) };
    },
    deleteUnlessLastAdmin: (username, events) =>
      guarded(async (client, admins) => {
        const row = (await run<{ id: string; role: string }>('lockForDelete', [username], client)).rows[0];
        if (!row) return 'not_found';
        if (isLastAdmin(row, admins)) return 'last_admin';
        await runPostgres(client, USER_SQL.deletePolicies, { id: row.id });
        await runPostgres(client, TOKEN_SQL.deleteSessionsOf, { kind: 'user', id: row.id });
        await runPostgres(client, USER_SQL.delete, { id: row.id });
        await run('insertEvents', eventParams(ownedBy(row.id, events)), client);
        return 'done';
      }),
    countByRole: async (role) =>
      (await runPostgres(pool, USER_SQL.countByRole, { role })).rows[0]?.total ?? 0,
  };
}
