import type pg from 'pg';
import { type UserRow, userFromRow } from '../sql-user-row.js';
import type { UserStore } from '../user-store.js';
import { inTransaction } from './postgres-transaction.js';

const COLUMNS = 'id, username, email, role, password_hash, created_at, github_id';

const SQL = {
  // The unique username (and GitHub id) decides between concurrent creates: the loser inserts nothing.
  insert: `insert into users (id, username, email, role, password_hash, created_at, github_id)
    values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
  find: `select ${COLUMNS} from users where username = $1`,
  findByGithubId: `select ${COLUMNS} from users where github_id = $1`,
  setRole: `update users set role = $2 where id = $1`,
  page: `select ${COLUMNS} from users order by username limit $1 offset $2`,
  count: `select count(*) as total from users`,
  countByRole: `select count(*) as total from users where role = $1`,
  // Deleting an account: lock its row first (a policy being created for it holds a share lock on
  // it: wait for that), then delete its policies with a snapshot taken after the lock, then the row.
  lockForDelete: `select id from users where username = $1 for update`,
  deletePolicies: `delete from policies where subject_type = 'user' and subject = $1`,
  delete: `delete from users where id = $1`,
} as const;

/** Accounts in PostgreSQL: one prepared statement per call. */
export function createPostgresUserStore(pool: pg.Pool): UserStore {
  const run = <R extends pg.QueryResultRow>(
    name: keyof typeof SQL,
    values: unknown[],
    on: pg.Pool | pg.PoolClient = pool,
  ) => on.query<R>({ name: `hush_user_${name}`, text: SQL[name], values });
  return {
    create: async (user) =>
      (
        await run('insert', [
          user.id,
          user.username,
          user.email ?? null,
          user.role,
          user.passwordHash,
          user.createdAt,
          user.githubId ?? null,
        ])
      ).rowCount === 1,
    async findByUsername(username) {
      const row = (await run<UserRow>('find', [username])).rows[0];
      return row && userFromRow(row);
    },
    async findByGithubId(githubId) {
      const row = (await run<UserRow>('findByGithubId', [githubId])).rows[0];
      return row && userFromRow(row);
    },
    setRole: async (id, role) => (await run('setRole', [id, role])).rowCount === 1,
    async list(offset, limit) {
      const [{ rows: count }, { rows }] = await Promise.all([
        run<{ total: number }>('count', []),
        run<UserRow>('page', [limit, offset]),
      ]);
      return { total: count[0]?.total ?? 0, users: rows.map(userFromRow) };
    },
    delete: (username) =>
      inTransaction(pool, async (client) => {
        const id = (await run<{ id: string }>('lockForDelete', [username], client)).rows[0]?.id;
        if (id === undefined) return false;
        await run('deletePolicies', [id], client);
        return (await run('delete', [id], client)).rowCount === 1;
      }),
    countByRole: async (role) => (await run<{ total: number }>('countByRole', [role])).rows[0]?.total ?? 0,
  };
}
