import type pg from 'pg';
import type { PolicyStore } from '../policy-store.js';
import {
  joinCapabilities,
  listingFromRow,
  type PolicyListingRow,
  type PolicyRow,
  policyFromRow,
} from '../sql-policy-row.js';

const COLUMNS = 'id, subject_type, subject, path, capabilities, created_at';
const USERNAME = `(select username from users
  where policies.subject_type = 'user' and users.id = policies.subject) as username`;

const SQL = {
  insert: `insert into policies (${COLUMNS}) values ($1, $2, $3, $4, $5, $6)`,
  // Two seeks on the (subject_type, subject) index, one round trip.
  forActor: `select ${COLUMNS} from policies where subject_type = 'user' and subject = $1
    union all select ${COLUMNS} from policies where subject_type = 'role' and subject = $2`,
  list: `select ${COLUMNS}, ${USERNAME} from policies
    where ($1::text is null or subject_type = $1) and ($2::text is null or subject = $2)
    order by created_at, id`,
  delete: `delete from policies where id = $1 returning ${COLUMNS}, ${USERNAME}`,
} as const;

/** Policies in PostgreSQL: one prepared statement per call. */
export function createPostgresPolicyStore(pool: pg.Pool): PolicyStore {
  const run = <R extends pg.QueryResultRow>(name: keyof typeof SQL, values: unknown[]) =>
    pool.query<R>({ name: `hush_policy_${name}`, text: SQL[name], values });
  return {
    async create(policy) {
      await run('insert', [
        policy.id,
        policy.subjectType,
        policy.subject,
        policy.path,
        joinCapabilities(policy.capabilities),
        policy.createdAt,
      ]);
    },
    forActor: async (userId, role) =>
      (await run<PolicyRow>('forActor', [userId, role])).rows.map(policyFromRow),
    list: async (filter) =>
      (await run<PolicyListingRow>('list', [filter.subjectType ?? null, filter.subject ?? null])).rows.map(
        listingFromRow,
      ),
    async delete(id) {
      const row = (await run<PolicyListingRow>('delete', [id])).rows[0];
      return row && listingFromRow(row);
    },
  };
}
