import type { Database } from 'better-sqlite3';
import type { PolicyStore } from '../policy-store.js';
import { joinCapabilities, listingFromRow, POLICY_COLUMNS, policyFromRow } from '../sql/policy-rows.js';
import { POLICY_SQL } from '../sql/policy-statements.js';
import { statement } from '../sql/sql-statement.js';
import { eventInserter } from './sqlite-event-store.js';
import { preparedStatements, sqlitePrepared, sqlitePreparedAll } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

/**
 * SQLite's own statements. The insert is written by hand (an INSERT … SELECT of parameters with no
 * table); PostgreSQL's also locks the account and writes its events in the same statement.
 */
const SQL = {
  insert: `insert into policies (${POLICY_COLUMNS.join(', ')})
    select @id, @subjectType, @subject, @path, @capabilities, @createdAt
    where case @subjectType
      when 'user' then exists (select 1 from users where id = @subject)
      when 'machine' then exists (select 1 from machines where id = @subject)
      else 1 end`,
} as const;

/** An actor's policies: two seeks on the (subject_type, subject) index, one statement. (PostgreSQL batches actors.) */
const FOR_ACTOR = statement<{ kind: string; id: string; role: string }>()('policy_for_actor', (db, p) =>
  db
    .selectFrom('policies')
    .select(POLICY_COLUMNS)
    .where('subject_type', '=', p('kind'))
    .where('subject', '=', p('id'))
    .unionAll(
      db
        .selectFrom('policies')
        .select(POLICY_COLUMNS)
        .where('subject_type', '=', 'role')
        .where('subject', '=', p('role')),
    ),
);

/** Policies in the SQLite file; writes go through the group-commit queue. */
export function createSqlitePolicyStore(database: Database, writes: WriteQueue): PolicyStore {
  const stmt = preparedStatements(database, SQL);
  const shared = sqlitePreparedAll(database, POLICY_SQL);
  const forActor = sqlitePrepared(database, FOR_ACTOR);
  const record = eventInserter(database);
  return {
    create: (policy, events) =>
      writes.write(() => {
        const created =
          stmt('insert').run({
            id: policy.id,
            subjectType: policy.subjectType,
            subject: policy.subject,
            path: policy.path,
            capabilities: joinCapabilities(policy.capabilities),
            createdAt: policy.createdAt,
          }).changes === 1;
        if (created) record(events);
        return created;
      }),
    forActor: async (principal, role) =>
      forActor.all({ kind: principal.kind, id: principal.id, role }).map(policyFromRow),
    list: async (filter) =>
      shared.list
        .all({ subjectType: filter.subjectType ?? null, subject: filter.subject ?? null })
        .map(listingFromRow),
    delete: (id, eventsFor) =>
      writes.write(() => {
        const row = shared.delete.get({ id });
        const deleted = row && listingFromRow(row);
        if (deleted) record(eventsFor(deleted));
        return deleted;
      }),
  };
}
