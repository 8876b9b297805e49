import type { ExpressionBuilder } from 'kysely';
import { POLICY_COLUMNS } from './policy-rows.js';
import type { SqlSchema } from './schema.js';
import { statement } from './sql-statement.js';

/** The username of a user subject: null for roles and for accounts that are gone. */
const username = (eb: ExpressionBuilder<SqlSchema, 'policies'>) =>
  eb
    .selectFrom('users')
    .select('users.username')
    .where('policies.subject_type', '=', 'user')
    .whereRef('users.id', '=', 'policies.subject')
    .as('username');

/** The name of a machine subject: null for other subjects and for machines that are gone. */
const machineName = (eb: ExpressionBuilder<SqlSchema, 'policies'>) =>
  eb
    .selectFrom('machines')
    .select('machines.name')
    .where('policies.subject_type', '=', 'machine')
    .whereRef('machines.id', '=', 'policies.subject')
    .as('machine_name');

/**
 * The policy statements both dialects run. The insert and the per-actor read differ: PostgreSQL's
 * insert locks the account and writes its events in one statement, and it reads the policies of
 * many actors in one batch (postgres-policy-store.ts).
 */
export const POLICY_SQL = {
  // A filter left null matches every row; the casts give PostgreSQL the parameters' type.
  list: statement<{ subjectType: string | null; subject: string | null }>()('policy_list', (db, p) =>
    db
      .selectFrom('policies')
      .select([...POLICY_COLUMNS, username, machineName])
      .where((eb) =>
        eb.and([
          eb.or([
            eb(eb.cast(eb.val(p('subjectType')), 'text'), 'is', null),
            eb('subject_type', '=', eb.cast<string>(eb.val(p('subjectType')), 'text')),
          ]),
          eb.or([
            eb(eb.cast(eb.val(p('subject')), 'text'), 'is', null),
            eb('subject', '=', eb.cast<string>(eb.val(p('subject')), 'text')),
          ]),
        ]),
      )
      .orderBy('created_at')
      .orderBy('id'),
  ),
  delete: statement<{ id: string }>()('policy_delete', (db, p) =>
    db
      .deleteFrom('policies')
      .where('id', '=', p('id'))
      .returning([...POLICY_COLUMNS, username, machineName]),
  ),
} as const;
