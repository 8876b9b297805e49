import type { Database } from 'better-sqlite3';
import type { UsersTable } from '../sql/schema.js';
import { statement } from '../sql/sql-statement.js';
import { TOKEN_SQL } from '../sql/token-statements.js';
import { type UserRow, userFromRow } from '../sql/user-rows.js';
import { USER_SQL } from '../sql/user-statements.js';
import { skeletonOf, type UserStore } from '../user-store.js';
import { eventInserter } from './sqlite-event-store.js';
import { sqlitePrepared, sqlitePreparedAll } from './sqlite-prepared.js';
import type { ReadCache } from './sqlite-read-cache.js';
import type { WriteQueue } from './sqlite-write-queue.js';

/**
 * SQLite's insert: the unique username (GitHub id, username skeleton) decides between concurrent
 * creates, the loser inserts nothing. (PostgreSQL's writes the events in the same statement.)
 */
const INSERT = statement<UsersTable>()('user_insert', (db, p) =>
  db
    .insertInto('users')
    .values({
      id: p('id'),
      username: p('username'),
      email: p('email'),
      role: p('role'),
      password_hash: p('password_hash'),
      created_at: p('created_at'),
      github_id: p('github_id'),
      username_skeleton: p('username_skeleton'),
    })
    .onConflict((conflict) => conflict.doNothing()),
);

/**
 * Accounts in the SQLite file; writes go through the group-commit queue. A role change or a
 * deletion clears `tokenLookups`, the token store's cache, which carries each token's account.
 * The last-admin rule holds because its check and its change are one write job: jobs run one at a
 * time under SQLite's write lock (BEGIN IMMEDIATE), in this process and in every other on the file.
 */
export function createSqliteUserStore(
  database: Database,
  writes: WriteQueue,
  tokenLookups: Pick<ReadCache<unknown>, 'clear'>,
): UserStore {
  const sql = sqlitePreparedAll(database, USER_SQL);
  const insert = sqlitePrepared(database, INSERT);
  const deleteSessions = sqlitePrepared(database, TOKEN_SQL.deleteSessionsOf);
  const record = eventInserter(database);
  /** Whether taking admin from `row` would leave no admin. */
  const lastAdmin = (row: UserRow) =>
    row.role === 'admin' && sql.otherAdmins.get({ id: row.id })?.total === 0;
  const change = <T>(run: () => T) =>
    writes.write(() => {
      tokenLookups.clear();
      return run();
    });
  const found = (row: UserRow | undefined) => row && userFromRow(row);
  return {
    create: (user, events = []) =>
      writes.write(() => {
        const created =
          insert.run({
            id: user.id,
            username: user.username,
            email: user.email ?? null,
            role: user.role,
            password_hash: user.passwordHash,
            created_at: user.createdAt,
            github_id: user.githubId ?? null,
            username_skeleton: skeletonOf(user),
          }).changes === 1;
        if (created) record(events);
        return created;
      }),
    findByUsername: async (username) => found(sql.findByUsername.get({ username })),
    findByGithubId: async (githubId) => found(sql.findByGithubId.get({ githubId })),
    findById: async (id) => found(sql.findById.get({ id })),
    setRoleUnlessLastAdmin: (id, role, events) =>
      change(() => {
        const row = sql.findById.get({ id });
        if (!row) return 'not_found';
        if (role !== 'admin' && lastAdmin(row)) return 'last_admin';
        sql.setRole.run({ id, role });
        record(events);
        return 'done';
      }),
    async list(offset, limit) {
      const total = sql.count.get({})?.total ?? 0;
      return { total, users: sql.page.all({ limit, offset }).map(userFromRow) };
    },
    deleteUnlessLastAdmin: (username, events) =>
      change(() => {
        const row = sql.findByUsername.get({ username });
        if (!row) return 'not_found';
        if (lastAdmin(row)) return 'last_admin';
        sql.deletePolicies.run({ id: row.id });
        deleteSessions.run({ kind: 'user', id: row.id });
        sql.delete.run({ id: row.id });
        record(events);
        return 'done';
      }),
    countByRole: async (role) => sql.countByRole.get({ role })?.total ?? 0,
  };
}
