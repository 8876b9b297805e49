import type { Selectable } from 'kysely';
import type { UserRecord } from '../user-store.js';
import type { UsersTable } from './schema.js';

/** Named columns rather than `*`: a prepared `select *` fails on PostgreSQL once a migration adds one. */
export const USER_COLUMNS = [
  'id',
  'username',
  'email',
  'role',
  'password_hash',
  'created_at',
  'github_id',
] as const satisfies readonly (keyof UsersTable)[];

export type UserRow = Pick<Selectable<UsersTable>, (typeof USER_COLUMNS)[number]>;

/** A `users` row as the domain's UserRecord. */
export function userFromRow(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    email: row.email ?? undefined,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    githubId: row.github_id ?? undefined,
  };
}
