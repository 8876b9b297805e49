import type { Database } from 'better-sqlite3';
import { type UserRow, userFromRow } from '../sql/user-rows.js';
import { skeletonOf, type UserStore } from '../user-store.js';
import { eventInserter } from './sqlite-event-store.js';
import type { ReadCache } from './sqlite-read-cache.js';
import { preparedStatements } from './sqlite-statements.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const SQL = {
  // The unique username (GitHub id, username skeleton) decides between concurrent creates: the
  // loser inserts nothing.
  insert: `insert into users (id, username, email, role, password_hash, created_at, github_id, username_skeleton)
    values (@id, @username, @email, @role, @passwordHash, @createdAt, @githubId, @skeleton)
    on conflict do nothing`,
  find: `select * from users where username = ?`,
  findById: `select * from users where id = ?`,
  findByGithubId: `select * from users where github_id = ?`,
  setRole: `update users set role = ? where id = ?`,
  // Admins other than the given account: read inside the write job, under SQLite's write lock.
  otherAdmins: `select count(*) as total from users where role = 'admin' and id <> ?`,
  page: `select * from users order by username limit ? offset ?`,
  count: `select count(*) as total from users`,
  countByRole: `select count(*) as total from users where role = ?`,
  deletePolicies: `delete from policies where subject_type = 'user' and subject = ?`,
  delete: `delete from users where id = ?`,
} as const;

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
  const stmt = preparedStatements(database, SQL);
  const record = eventInserter(database);
  /** Whether taking admin from `row` would leave no admin. */
  const lastAdmin = (row: UserRow) =>
    row.role === 'admin' && (stmt('otherAdmins').get(row.id) as { total: number }).total === 0;
  const change = <T>(run: () => T) =>
    writes.write(() => {
      tokenLookups.clear();
      return run();
    });
  return {
    create: (user, events = []) =>
      writes.write(() => {
        const created =
          stmt('insert').run({
            id: user.id,
            username: user.username,
            email: user.email ?? null,
            role: user.role,
            passwordHash: user.passwordHash,
            createdAt: user.createdAt,
            githubId: user.githubId ?? null,
            skeleton: skeletonOf(user),
          }).changes === 1;
        if (created) record(events);
        return created;
      }),
    async findByUsername(username) {
      const row = stmt('find').get(username) as UserRow | undefined;
      return row && userFromRow(row);
    },
    async findByGithubId(githubId) {
      const row = stmt('findByGithubId').get(githubId) as UserRow | undefined;
      return row && userFromRow(row);
    },
    setRoleUnlessLastAdmin: (id, role, events) =>
      change(() => {
        const row = stmt('findById').get(id) as UserRow | undefined;
        if (!row) return 'not_found';
        if (role !== 'admin' && lastAdmin(row)) return 'last_admin';
        stmt('setRole').run(role, id);
        record(events);
        return 'done';
      }),
    async list(offset, limit) {
      const { total } = stmt('count').get() as { total: number };
      const rows = stmt('page').all(limit, offset) as UserRow[];
      return { total, users: rows.map(userFromRow) };
    },
    deleteUnlessLastAdmin: (username, events) =>
      change(() => {
        const row = stmt('find').get(username) as UserRow | undefined;
        if (!row) return 'not_found';
        if (lastAdmin(row)) return 'last_admin';
        stmt('deletePolicies').run(row.id);
        stmt('delete').run(row.id);
        record(events);
        return 'done';
      }),
    countByRole: async (role) => (stmt('countByRole').get(role) as { total: number }).total,
  };
}
