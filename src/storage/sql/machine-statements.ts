import type { ExpressionBuilder } from 'kysely';
import { MACHINE_COLUMNS, SECRET_ID_COLUMNS } from './machine-rows.js';
import type { SqlSchema } from './schema.js';
import { statement } from './sql-statement.js';

/** A secret_id can sign in while not revoked, not expired and with a use left (or uncounted). */
export const liveSecretId = (eb: ExpressionBuilder<SqlSchema, 'machine_secret_ids'>, now: number) =>
  eb.and([
    eb('revoked_at', 'is', null),
    eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]),
    eb.or([eb('uses_left', 'is', null), eb('uses_left', '>', 0)]),
  ]);

/**
 * The machine statements both dialects run: the reads. The writes differ (PostgreSQL writes its
 * events and locks in the same statement; SQLite runs each inside one write job).
 */
export const MACHINE_SQL = {
  findById: statement<{ id: string }>()('machine_find_by_id', (db, p) =>
    db.selectFrom('machines').select(MACHINE_COLUMNS).where('id', '=', p('id')),
  ),
  findByName: statement<{ name: string }>()('machine_find_by_name', (db, p) =>
    db.selectFrom('machines').select(MACHINE_COLUMNS).where('name', '=', p('name')),
  ),
  findByRoleId: statement<{ roleId: string }>()('machine_find_by_role_id', (db, p) =>
    db.selectFrom('machines').select(MACHINE_COLUMNS).where('role_id', '=', p('roleId')),
  ),
  list: statement()('machine_list', (db) =>
    db.selectFrom('machines').select(MACHINE_COLUMNS).orderBy('name'),
  ),
  listSecretIds: statement<{ machineId: string; now: number }>()('machine_list_secret_ids', (db, p) =>
    db
      .selectFrom('machine_secret_ids')
      .select(SECRET_ID_COLUMNS)
      .where('machine_id', '=', p('machineId'))
      .where((eb) => liveSecretId(eb, p('now')))
      .orderBy('created_at')
      .orderBy('accessor'),
  ),
  findSecretId: statement<{ hash: string }>()('machine_find_secret_id', (db, p) =>
    db.selectFrom('machine_secret_ids').select(SECRET_ID_COLUMNS).where('hash', '=', p('hash')),
  ),
  // A machine's policies go with it.
  deletePolicies: statement<{ id: string }>()('machine_delete_policies', (db, p) =>
    db.deleteFrom('policies').where('subject_type', '=', 'machine').where('subject', '=', p('id')),
  ),
  delete: statement<{ id: string }>()('machine_delete', (db, p) =>
    db.deleteFrom('machines').where('id', '=', p('id')),
  ),
} as const;
