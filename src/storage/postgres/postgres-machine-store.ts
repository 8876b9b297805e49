import type pg from 'pg';
import type { MachineStore } from '../machine-store.js';
import {
  MACHINE_COLUMNS,
  type MachineRow,
  machineFromRow,
  machineValues,
  SECRET_ID_COLUMNS,
  secretIdFromRow,
  secretIdValues,
} from '../sql/machine-rows.js';
import { MACHINE_SQL } from '../sql/machine-statements.js';
import { joinCapabilities, POLICY_COLUMNS } from '../sql/policy-rows.js';
import { TOKEN_SQL } from '../sql/token-statements.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { runPostgres } from './postgres-prepared.js';
import { inTransaction } from './postgres-transaction.js';

const COLUMNS = MACHINE_COLUMNS.join(', ');
const params = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`);
/** What an update may change: all but the identity columns (in MACHINE_COLUMNS order). */
const KEPT = ['id', 'name', 'role_id', 'created_at'];
const SETTINGS = MACHINE_COLUMNS.filter((c) => !KEPT.includes(c));
/** Parameters of an insert…select, which takes no type from its target columns. */
const SECRET_ID_TYPES: Record<(typeof SECRET_ID_COLUMNS)[number], string> = {
  accessor: 'text',
  machine_id: 'text',
  hash: 'text',
  cidrs: 'text',
  metadata: 'text',
  uses_left: 'integer',
  expires_at: 'bigint',
  created_at: 'bigint',
  revoked_at: 'bigint',
  used_up_at: 'bigint',
};
const live = (now: string) => `revoked_at is null and (expires_at is null or expires_at > ${now})
  and (uses_left is null or uses_left > 0)`;
const N = MACHINE_COLUMNS.length;
const S = SECRET_ID_COLUMNS.length;

/** PostgreSQL's own writes: each one statement (or one transaction), events included. */
const SQL = {
  // The unique name (and role_id) decides between concurrent creates: the loser inserts nothing,
  // neither its policies nor its events.
  create: `with created as (insert into machines (${COLUMNS}) values (${params(1, N).join(', ')})
      on conflict do nothing returning id),
    attached as (insert into policies (${POLICY_COLUMNS.join(', ')})
      select r.id, 'machine', $1::text, r.path, r.capabilities, r.created_at
      from unnest($${N + 1}::text[], $${N + 2}::text[], $${N + 3}::text[], $${N + 4}::bigint[])
        as r(id, path, capabilities, created_at)
      where exists (select 1 from created)),
    logged as (${insertEvents(N + 5, 'where exists (select 1 from created)')})
    select count(*)::int as created from created`,
  // Not the key: a concurrent session or policy insert (FOR KEY SHARE on the row) is not held up.
  update: `with changed as (update machines set ${SETTINGS.map((c, i) => `${c} = $${i + 2}`).join(', ')}
      where id = $1 and updated_at = $${SETTINGS.length + 2} returning id),
    logged as (${insertEvents(SETTINGS.length + 3, 'where exists (select 1 from changed)')})
    select count(*)::int as changed from changed`,
  /**
   * Deleting: lock the row first. A session or policy being created for the machine holds a
   * FOR KEY SHARE lock on it (postgres-token-store.ts, postgres-policy-store.ts): this waits for
   * it, then deletes what it created with a snapshot taken after the lock; one that starts later
   * waits for this delete and then finds no machine.
   */
  lockForDelete: `select id from machines where id = $1 for update`,
  insertEvents: insertEvents(1),
  // Only while the machine exists; its row is share-locked so a deletion waits for this insert.
  createSecretId: `with m as (select id from machines where id = $2 for key share),
    created as (insert into machine_secret_ids (${SECRET_ID_COLUMNS.join(', ')})
      select ${SECRET_ID_COLUMNS.map((c, i) => (c === 'machine_id' ? 'm.id' : `$${i + 1}::${SECRET_ID_TYPES[c]}`)).join(', ')}
      from m returning accessor),
    logged as (${insertEvents(S + 1, 'where exists (select 1 from created)')})
    select count(*)::int as created from created`,
  revokeSecretId: `with revoked as (update machine_secret_ids set revoked_at = $3
      where machine_id = $1 and accessor = $2 and ${live('$3')} returning accessor),
    logged as (${insertEvents(4, 'where exists (select 1 from revoked)')})
    select count(*)::int as revoked from revoked`,
  /**
   * Guarantee: the check and the count are one UPDATE. Concurrent spends of one row queue on its
   * row lock; each re-checks the WHERE on the row as the previous one left it (READ COMMITTED),
   * so no more than uses_left of them match. Null (uncounted) stays null; the last use stamps
   * used_up_at (the right-hand sides read the row as it was).
   */
  spendSecretId: `with spent as (update machine_secret_ids set uses_left = uses_left - 1,
        used_up_at = case when uses_left = 1 then $3::bigint end
      where machine_id = $1 and hash = $2 and ${live('$3')} returning machine_id)
    select ${MACHINE_COLUMNS.map((c) => `m.${c}`).join(', ')} from machines m join spent on m.id = spent.machine_id`,
  // Rows another node's purge (or a spend) holds are skipped: no secret_id is counted twice.
  purgeSecretIds: `with batch as (select accessor from machine_secret_ids
      where revoked_at < $1 or expires_at < $1 or used_up_at < $1 limit $2 for update skip locked)
    delete from machine_secret_ids x using batch where x.accessor = batch.accessor`,
} as const;

/** Machine identities in PostgreSQL: one prepared statement per call, deletion in one transaction. */
export function createPostgresMachineStore(pool: pg.Pool): MachineStore {
  const run = <R extends pg.QueryResultRow>(
    name: keyof typeof SQL,
    values: unknown[],
    on: pg.Pool | pg.PoolClient = pool,
  ) => on.query<R>({ name: `hush_machine_${name}`, text: SQL[name], values });
  const one = async <R extends pg.QueryResultRow, T>(
    result: Promise<pg.QueryResult<R>>,
    map: (row: R) => T,
  ) => {
    const row = (await result).rows[0];
    return row === undefined ? undefined : map(row);
  };

  return {
    create: async (machine, policies, events) =>
      (
        await run<{ created: number }>('create', [
          ...machineValues(machine),
          policies.map((p) => p.id),
          policies.map((p) => p.path),
          policies.map((p) => joinCapabilities(p.capabilities)),
          policies.map((p) => p.createdAt),
          ...eventParams(ownedBy(machine.id, events)),
        ])
      ).rows[0]?.created === 1,
    async update(machine, expectedUpdatedAt, events) {
      const values = machineValues(machine);
      const settings = SETTINGS.map((c) => values[MACHINE_COLUMNS.indexOf(c)]);
      const params = [
        machine.id,
        ...settings,
        expectedUpdatedAt,
        ...eventParams(ownedBy(machine.id, events)),
      ];
      return (await run<{ changed: number }>('update', params)).rows[0]?.changed === 1;
    },
    findById: (id) => one(runPostgres(pool, MACHINE_SQL.findById, { id }), machineFromRow),
    findByName: (name) => one(runPostgres(pool, MACHINE_SQL.findByName, { name }), machineFromRow),
    findByRoleId: (roleId) => one(runPostgres(pool, MACHINE_SQL.findByRoleId, { roleId }), machineFromRow),
    list: async () => (await runPostgres(pool, MACHINE_SQL.list, {})).rows.map(machineFromRow),
    delete: (id, events) =>
      inTransaction(pool, async (client) => {
        if ((await run('lockForDelete', [id], client)).rowCount !== 1) return false;
        await runPostgres(client, MACHINE_SQL.deletePolicies, { id });
        await runPostgres(client, TOKEN_SQL.deleteSessionsOf, { kind: 'machine', id });
        // Its secret_ids go by cascade.
        await runPostgres(client, MACHINE_SQL.delete, { id });
        await run('insertEvents', eventParams(ownedBy(id, events)), client);
        return true;
      }),
    createSecretId: async (secretId, events) => {
      const [accessor, machineId, ...rest] = secretIdValues(secretId);
      const values = [accessor, machineId, ...rest, ...eventParams(ownedBy(accessor, events))];
      return (await run<{ created: number }>('createSecretId', values)).rows[0]?.created === 1;
    },
    listSecretIds: async (machineId, now) =>
      (await runPostgres(pool, MACHINE_SQL.listSecretIds, { machineId, now })).rows.map(secretIdFromRow),
    findSecretId: (hash) => one(runPostgres(pool, MACHINE_SQL.findSecretId, { hash }), secretIdFromRow),
    revokeSecretId: async (machineId, accessor, now, events) =>
      (
        await run<{ revoked: number }>('revokeSecretId', [
          machineId,
          accessor,
          now,
          ...eventParams(ownedBy(accessor, events)),
        ])
      ).rows[0]?.revoked === 1,
    spendSecretId: (machineId, hash, now) =>
      one(run<MachineRow>('spendSecretId', [machineId, hash, now]), machineFromRow),
    purgeEndedSecretIds: async (before, limit) =>
      (await run('purgeSecretIds', [before, limit])).rowCount ?? 0,
  };
}
