import type { Database } from 'better-sqlite3';
import type { MachineStore } from '../machine-store.js';
import {
  MACHINE_COLUMNS,
  machineFromRow,
  machineValues,
  SECRET_ID_COLUMNS,
  secretIdFromRow,
  secretIdValues,
} from '../sql/machine-rows.js';
import { MACHINE_SQL } from '../sql/machine-statements.js';
import { joinCapabilities, POLICY_COLUMNS } from '../sql/policy-rows.js';
import { TOKEN_SQL } from '../sql/token-statements.js';
import { eventInserter } from './sqlite-event-store.js';
import { preparedStatements, sqlitePrepared, sqlitePreparedAll } from './sqlite-prepared.js';
import type { ReadCache } from './sqlite-read-cache.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const LIVE = `revoked_at is null and (expires_at is null or expires_at > @now)
  and (uses_left is null or uses_left > 0)`;
/** Values by column name, for statements with named parameters. */
const named = (columns: readonly string[], values: readonly unknown[]) =>
  Object.fromEntries(columns.map((column, i) => [column, values[i]]));
const SETTINGS = MACHINE_COLUMNS.filter((c) => !['id', 'name', 'role_id', 'created_at'].includes(c));

/** SQLite's own writes, each run inside one write job (PostgreSQL's are single statements). */
const SQL = {
  // The unique name (and role_id) decides between concurrent creates: the loser inserts nothing.
  insert: `insert into machines (${MACHINE_COLUMNS.join(', ')})
    values (${MACHINE_COLUMNS.map(() => '?').join(', ')}) on conflict do nothing`,
  insertPolicy: `insert into policies (${POLICY_COLUMNS.join(', ')}) values (?, 'machine', ?, ?, ?, ?)`,
  update: `update machines set ${SETTINGS.map((c) => `${c} = @${c}`).join(', ')}
    where id = @id and updated_at = @expectedUpdatedAt`,
  // Nothing when the machine is gone: inside the write job, no deletion can come between.
  insertSecretId: `insert into machine_secret_ids (${SECRET_ID_COLUMNS.join(', ')})
    select ${SECRET_ID_COLUMNS.map((c) => (c === 'machine_id' ? 'id' : `@${c}`)).join(', ')}
    from machines where id = @machine_id`,
  revokeSecretId: `update machine_secret_ids set revoked_at = @now
    where machine_id = @machineId and accessor = @accessor and ${LIVE}`,
  // Guarantee: the check and the count are one UPDATE in one write job; null uses stay null. The
  // last use stamps used_up_at (the right-hand sides read the row as it was).
  spendSecretId: `update machine_secret_ids set uses_left = uses_left - 1,
      used_up_at = case when uses_left = 1 then @now end
    where machine_id = @machineId and hash = @hash and ${LIVE}`,
  purgeSecretIds: `delete from machine_secret_ids where accessor in (select accessor from machine_secret_ids
    where revoked_at < @before or expires_at < @before or used_up_at < @before limit @limit)`,
} as const;

/**
 * Machine identities in the SQLite file; writes go through the group-commit queue. A change to a
 * machine (its role, its deletion) clears `tokenLookups`, which carry each token's principal.
 */
export function createSqliteMachineStore(
  database: Database,
  writes: WriteQueue,
  tokenLookups: Pick<ReadCache<unknown>, 'clear'>,
): MachineStore {
  const stmt = preparedStatements(database, SQL);
  const shared = sqlitePreparedAll(database, MACHINE_SQL);
  const deleteSessions = sqlitePrepared(database, TOKEN_SQL.deleteSessionsOf);
  const record = eventInserter(database);
  const change = <T>(run: () => T) =>
    writes.write(() => {
      tokenLookups.clear();
      return run();
    });
  const found = <R, T>(row: R | undefined, map: (row: R) => T) => (row === undefined ? undefined : map(row));

  return {
    create: (machine, policies, events) =>
      writes.write(() => {
        if (stmt('insert').run(...machineValues(machine)).changes !== 1) return false;
        for (const p of policies) {
          stmt('insertPolicy').run(p.id, machine.id, p.path, joinCapabilities(p.capabilities), p.createdAt);
        }
        record(events);
        return true;
      }),
    update: (machine, expectedUpdatedAt, events) =>
      change(() => {
        const values = { ...named(MACHINE_COLUMNS, machineValues(machine)), expectedUpdatedAt };
        if (stmt('update').run(values).changes !== 1) return false;
        record(events);
        return true;
      }),
    findById: async (id) => found(shared.findById.get({ id }), machineFromRow),
    findByName: async (name) => found(shared.findByName.get({ name }), machineFromRow),
    findByRoleId: async (roleId) => found(shared.findByRoleId.get({ roleId }), machineFromRow),
    list: async () => shared.list.all({}).map(machineFromRow),
    delete: (id, events) =>
      change(() => {
        if (!shared.findById.get({ id })) return false;
        shared.deletePolicies.run({ id });
        deleteSessions.run({ kind: 'machine', id });
        // Its secret_ids go by cascade.
        shared.delete.run({ id });
        record(events);
        return true;
      }),
    createSecretId: (secretId, events) =>
      writes.write(() => {
        const values = named(SECRET_ID_COLUMNS, secretIdValues(secretId));
        const created = stmt('insertSecretId').run(values).changes === 1;
        if (created) record(events);
        return created;
      }),
    listSecretIds: async (machineId, now) =>
      shared.listSecretIds.all({ machineId, now }).map(secretIdFromRow),
    findSecretId: async (hash) => found(shared.findSecretId.get({ hash }), secretIdFromRow),
    revokeSecretId: (machineId, accessor, now, events) =>
      writes.write(() => {
        const revoked = stmt('revokeSecretId').run({ machineId, accessor, now }).changes === 1;
        if (revoked) record(events);
        return revoked;
      }),
    spendSecretId: (machineId, hash, now) =>
      writes.write(() => {
        if (stmt('spendSecretId').run({ machineId, hash, now }).changes !== 1) return undefined;
        return found(shared.findById.get({ id: machineId }), machineFromRow);
      }),
    purgeEndedSecretIds: (before, limit) =>
      writes.write(() => stmt('purgeSecretIds').run({ before, limit }).changes),
  };
}
