import type { Database } from 'better-sqlite3';
import type { PolicyStore } from '../policy-store.js';
import {
  joinCapabilities,
  listingFromRow,
  type PolicyListingRow,
  type PolicyRow,
  policyFromRow,
} from '../sql/policy-rows.js';
import { eventInserter } from './sqlite-event-store.js';
import { preparedStatements } from './sqlite-statements.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const COLUMNS = 'id, subject_type, subject, path, capabilities, created_at';
const USERNAME = `(select username from users
  where policies.subject_type = 'user' and users.id = policies.subject) as username`;

const SQL = {
  insert: `insert into policies (${COLUMNS})
    select @id, @subjectType, @subject, @path, @capabilities, @createdAt
    where @subjectType <> 'user' or exists (select 1 from users where id = @subject)`,
  // Two seeks on the (subject_type, subject) index, one round trip.
  forActor: `select ${COLUMNS} from policies where subject_type = ? and subject = ?
    union all select ${COLUMNS} from policies where subject_type = 'role' and subject = ?`,
  list: `select ${COLUMNS}, ${USERNAME} from policies
    where (@subjectType is null or subject_type = @subjectType) and (@subject is null or subject = @subject)
    order by created_at, id`,
  delete: `delete from policies where id = ? returning ${COLUMNS}, ${USERNAME}`,
} as const;

/** Policies in the SQLite file; writes go through the group-commit queue. */
export function createSqlitePolicyStore(database: Database, writes: WriteQueue): PolicyStore {
  const stmt = preparedStatements(database, SQL);
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
      (stmt('forActor').all(principal.kind, principal.id, role) as PolicyRow[]).map(policyFromRow),
    list: async (filter) =>
      (
        stmt('list').all({
          subjectType: filter.subjectType ?? null,
          subject: filter.subject ?? null,
        }) as PolicyListingRow[]
      ).map(listingFromRow),
    delete: (id, eventsFor) =>
      writes.write(() => {
        const row = stmt('delete').get(id) as PolicyListingRow | undefined;
        const deleted = row && listingFromRow(row);
        if (deleted) record(eventsFor(deleted));
        return deleted;
      }),
  };
}
