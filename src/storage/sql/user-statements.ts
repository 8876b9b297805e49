import { statement } from './sql-statement.js';
import { USER_COLUMNS } from './user-rows.js';

/**
 * The account statements both dialects run. What differs stays in the dialect folders: the insert
 * (PostgreSQL writes its events in the same statement), and how the last-admin rule is kept
 * (SQLite's write job reads `otherAdmins`; PostgreSQL locks the admin rows in id order).
 */
export const USER_SQL = {
  findByUsername: statement<{ username: string }>()('user_find_by_username', (db, p) =>
    db.selectFrom('users').select(USER_COLUMNS).where('username', '=', p('username')),
  ),
  findById: statement<{ id: string }>()('user_find_by_id', (db, p) =>
    db.selectFrom('users').select(USER_COLUMNS).where('id', '=', p('id')),
  ),
  findByGithubId: statement<{ githubId: string }>()('user_find_by_github_id', (db, p) =>
    db.selectFrom('users').select(USER_COLUMNS).where('github_id', '=', p('githubId')),
  ),
  setRole: statement<{ id: string; role: string }>()('user_set_role', (db, p) =>
    db
      .updateTable('users')
      .set({ role: p('role') })
      .where('id', '=', p('id')),
  ),
  page: statement<{ limit: number; offset: number }>()('user_page', (db, p) =>
    db.selectFrom('users').select(USER_COLUMNS).orderBy('username').limit(p('limit')).offset(p('offset')),
  ),
  count: statement()('user_count', (db) =>
    db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('total')),
  ),
  countByRole: statement<{ role: string }>()('user_count_by_role', (db, p) =>
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('role', '=', p('role')),
  ),
  /** Admins other than the given account (SQLite reads it under its write lock). */
  otherAdmins: statement<{ id: string }>()('user_other_admins', (db, p) =>
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('role', '=', 'admin')
      .where('id', '<>', p('id')),
  ),
  // An account's policies go with it.
  deletePolicies: statement<{ id: string }>()('user_delete_policies', (db, p) =>
    db.deleteFrom('policies').where('subject_type', '=', 'user').where('subject', '=', p('id')),
  ),
  delete: statement<{ id: string }>()('user_delete', (db, p) =>
    db.deleteFrom('users').where('id', '=', p('id')),
  ),
} as const;
