import type { Database } from 'better-sqlite3';
import { type UserRow, userFromRow } from '../sql-user-row.js';
import type { UserStore } from '../user-store.js';
import type { ReadCache } from './sqlite-read-cache.js';
import { preparedStatements } from './sqlite-statements.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const SQL = {
  // The unique username (and GitHub id) decides between concurrent creates: the loser inserts nothing.
  insert: `insert into users (id, username, email, role, password_hash, created_at, github_id)
    values (@id, @username, @email, @role, @passwordHash, @createdAt, @githubId)
    on conflict do nothing`,
  find: `select * from users where username = ?`,
  findByGithubId: `select * from users where github_id = ?`,
  setRole: `update users set role = ? where id = ?`,
  page: `select * from users order by username limit ? offset ?`,
  count: `select count(*) as total from users`,
  countByRole: `select count(*) as total from users where role = ?`,
  deletePolicies: `delete from policies
    where subject_type = 'user' and subject in (select id from users where username = ?)`,
  delete: `delete from users where username = ?`,
} as const;

/**
 * Accounts in the SQLite file; writes go through the group-commit queue. A role change or a
 * deletion clears `tokenLookups`, the token store's cache, which carries each token's account.
 */
export function createSqliteUserStore(
  database: Database,
  writes: WriteQueue,
  tokenLookups: Pick<ReadCache<unknown>, 'clear'>,
): UserStore {
  const stmt = preparedStatements(database, SQL);
  const change = <T>(run: () => T) =>
    writes.write(() => {
      tokenLookups.clear();
      return run();
    });
  return {
    create: (user) =>
      writes.write(
        () =>
          stmt('insert').run({
            id: user.id,
            username: user.username,
            email: user.email ?? null,
            role: user.role,
            passwordHash: user.passwordHash,
            createdAt: user.createdAt,
            githubId: user.githubId ?? null,
          }).changes === 1,
      ),
    async findByUsername(username) {
      const row = stmt('find').get(username) as UserRow | undefined;
      return row && userFromRow(row);
    },
    async findByGithubId(githubId) {
      const row = stmt('findByGithubId').get(githubId) as UserRow | undefined;
      return row && userFromRow(row);
    },
    setRole: (id, role) => change(() => stmt('setRole').run(role, id).changes === 1),
    async list(offset, limit) {
      const { total } = stmt('count').get() as { total: number };
      const rows = stmt('page').all(limit, offset) as UserRow[];
      return { total, users: rows.map(userFromRow) };
    },
    delete: (username) =>
      change(() => {
        stmt('deletePolicies').run(username);
        return stmt('delete').run(username).changes === 1;
      }),
    countByRole: async (role) => (stmt('countByRole').get(role) as { total: number }).total,
  };
}
