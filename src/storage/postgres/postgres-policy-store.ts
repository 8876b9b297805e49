import type pg from 'pg';
import type { PolicyRecord, PolicyStore } from '../policy-store.js';
import {
  joinCapabilities,
  listingFromRow,
  POLICY_COLUMNS,
  type PolicyRow,
  policyFromRow,
} from '../sql/policy-rows.js';
import { POLICY_SQL } from '../sql/policy-statements.js';
import { createBatcher } from './postgres-batcher.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { isPostgresFault } from './postgres-faults.js';
import { runPostgres } from './postgres-prepared.js';
import { inTransaction } from './postgres-transaction.js';

const COLUMNS = POLICY_COLUMNS.join(', ');

/** PostgreSQL's own statements; the list and the delete are shared (sql/policy-statements.ts). */
const SQL = {
  // A user (machine) policy only while the account (machine) exists; the share lock makes a
  // concurrent delete of it wait for this insert, and then delete the policy with it.
  insert: `with created as (insert into policies (${COLUMNS})
      select $1, $2::text, $3::text, $4, $5, $6
      where case $2::text
        when 'user' then exists (select 1 from users where id = $3 for key share)
        when 'machine' then exists (select 1 from machines where id = $3 for key share)
        else true end
      returning id),
    logged as (${insertEvents(7, 'join created on created.id = e.owner')})
    select count(*)::int as created from created`,
  // The principals of one event-loop turn in one statement: two seeks each on the (subject_type,
  // subject) index; r.ord says whose row it is.
  forActors: `select r.ord, ${COLUMNS.replace(/(\w+)/g, 'p.$1')}
      from unnest($1::text[], $2::text[], $3::text[]) with ordinality as r(kind, id, role, ord)
      join policies p on p.subject_type = r.kind and p.subject = r.id
    union all select r.ord, ${COLUMNS.replace(/(\w+)/g, 'p.$1')}
      from unnest($1::text[], $2::text[], $3::text[]) with ordinality as r(kind, id, role, ord)
      join policies p on p.subject_type = 'role' and p.subject = r.role`,
  insertEvents: insertEvents(1),
} as const;

/** Policies in PostgreSQL: one prepared statement per call; an actor's policies are read in batches. */
export function createPostgresPolicyStore(pool: pg.Pool): PolicyStore {
  const run = <R extends pg.QueryResultRow>(
    name: keyof typeof SQL,
    values: unknown[],
    on: pg.Pool | pg.PoolClient = pool,
  ) => on.query<R>({ name: `hush_policy_${name}`, text: SQL[name], values });
  const forActor = createBatcher<{ kind: string; id: string; role: string }, PolicyRecord[]>({
    isFault: isPostgresFault,
    async flush(actors) {
      const { rows } = await run<PolicyRow & { ord: number }>('forActors', [
        actors.map((a) => a.kind),
        actors.map((a) => a.id),
        actors.map((a) => a.role),
      ]);
      const byActor = actors.map((): PolicyRecord[] => []);
      for (const row of rows) byActor[row.ord - 1]?.push(policyFromRow(row));
      return byActor;
    },
  });
  return {
    create: async (policy, events) =>
      (
        await run<{ created: number }>('insert', [
          policy.id,
          policy.subjectType,
          policy.subject,
          policy.path,
          joinCapabilities(policy.capabilities),
          policy.createdAt,
          ...eventParams(ownedBy(policy.id, events)),
        ])
      ).rows[0]?.created === 1,
    forActor: (principal, role) => forActor({ kind: principal.kind, id: principal.id, role }),
    list: async (filter) =>
      (
        await runPostgres(pool, POLICY_SQL.list, {
          subjectType: filter.subjectType ?? null,
          subject: filter.subject ?? null,
        })
      ).rows.map(listingFromRow),
    // What was deleted is known only after the delete, and the events describe it: a transaction.
    delete: (id, eventsFor) =>
      inTransaction(pool, async (client) => {
        const row = (await runPostgres(client, POLICY_SQL.delete, { id })).rows[0];
        const deleted = row && listingFromRow(row);
        if (deleted) await run('insertEvents', eventParams(ownedBy(id, eventsFor(deleted))), client);
        return deleted;
      }),
  };
}
