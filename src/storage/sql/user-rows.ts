import type { Selectable } from 'kysely';
import type { UserRecord } from '../user-store.js';
import type { UsersTable } from './schema.js';

export type UserRow = Selectable<UsersTable>;

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
