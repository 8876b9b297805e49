import type pg from 'pg';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { ChangeEvents, SecretStore, UpdateResult, VersionTarget } from '../secret-store.js';
import { secretFromRow, settingsOver, settingsParams, versionFromRow } from '../sql/secret-rows.js';
import { pruneUpTo, SECRET_COLUMNS, SECRET_SQL } from '../sql/secret-statements.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { runPostgres } from './postgres-prepared.js';
import { inTransaction } from './postgres-transaction.js';

/** Version lists bind as one integer array. */
const LISTED = 'secret_id = $1 and version = any($2::integer[])';

/**
 * PostgreSQL's statements for the writes of one secret that run in a transaction: each first takes
 * the secret's row lock (`bump`, `setSettings` and `lock` all do), so they serialize per secret on
 * every node, and a waiting one re-reads the row the one before it left.
 */
const SQL = {
  lock: `select ${SECRET_COLUMNS.join(', ')} from secrets
    where id = $1 and (expires_at is null or expires_at > $2) for update`,
  softDelete: `update secret_versions set deleted_at = $3
    where ${LISTED} and deleted_at is null and destroyed_at is null returning version`,
  undelete: `update secret_versions set deleted_at = null
    where ${LISTED} and deleted_at is not null and destroyed_at is null returning version`,
  // Overwritten in the row; the old row version is left for VACUUM, as every erase's is.
  destroy: `update secret_versions set ciphertext = ''::bytea, wrapped_key = ''::bytea, destroyed_at = $3
    where ${LISTED} and destroyed_at is null returning version`,
  insertEvents: insertEvents(1),
} as const;

type Name = keyof typeof SQL;

/** The SecretStore methods that change one secret's versions or settings, in transactions. */
export function postgresSecretVersionWrites(
  pool: pg.Pool,
): Pick<SecretStore, 'update' | 'deleteVersions' | 'undeleteVersions' | 'destroyVersions' | 'setSettings'> {
  const run = <R extends pg.QueryResultRow>(client: pg.PoolClient, name: Name, values: unknown[]) =>
    client.query<R>({ name: `hush_secret_kv_${name}`, text: SQL[name], values });
  const log = async (client: pg.PoolClient, id: string, events: readonly AuditEvent[]) => {
    if (events.length > 0) await run(client, 'insertEvents', eventParams(ownedBy(id, events)));
  };

  const changeVersions =
    (name: 'softDelete' | 'undelete' | 'destroy') =>
    (id: string, versions: VersionTarget, now: number, events: ChangeEvents) =>
      inTransaction(pool, async (client) => {
        const secret = (await run<{ current_version: number }>(client, 'lock', [id, now])).rows[0];
        if (!secret) return undefined;
        const listed = versions === 'latest' ? [secret.current_version] : versions;
        // Undelete sets no time: it binds the two parameters its text has.
        const values = name === 'undelete' ? [id, listed] : [id, listed, now];
        const { rows } = await run<{ version: number }>(client, name, values);
        const changed = rows.map((row) => row.version).sort((a, b) => a - b);
        if (changed.length > 0) await log(client, id, events(changed));
        return changed;
      });

  return {
    update: (id, options, seal, events) =>
      inTransaction(pool, async (client): Promise<UpdateResult> => {
        const { now, expiresAt, keep, cas, previous } = options;
        const bumped = { id, now, expiresAt: expiresAt ?? null, cas: cas ?? null };
        const row = (await runPostgres(client, SECRET_SQL.bump, bumped)).rows[0];
        if (!row) {
          // Matched no row: gone, or its cas (given, or required and missing) does not hold.
          const current = (await runPostgres(client, SECRET_SQL.find, { id, now })).rows[0];
          return current
            ? { status: 'cas_mismatch', currentVersion: current.current_version }
            : { status: 'not_found' };
        }
        const version = row.current_version;
        const before = previous
          ? (await runPostgres(client, SECRET_SQL.version, { id, version: version - 1 })).rows[0]
          : undefined;
        await runPostgres(client, SECRET_SQL.insertVersion, {
          ...seal(version, before && versionFromRow(before)),
          secretId: id,
          version,
          createdAt: now,
        });
        await runPostgres(client, SECRET_SQL.prune, { id, upTo: pruneUpTo(row, keep) });
        await log(client, id, events?.(version) ?? []);
        return { status: 'written', secret: secretFromRow(row) };
      }),
    deleteVersions: changeVersions('softDelete'),
    undeleteVersions: changeVersions('undelete'),
    destroyVersions: changeVersions('destroy'),
    setSettings: (id, settings, { now, keep }, events = []) =>
      inTransaction(pool, async (client) => {
        // A merge reads the labels under the row lock it then writes under: none comes between.
        const stored = settings.mergeCustomMetadata
          ? (await run<{ custom_metadata: string }>(client, 'lock', [id, now])).rows[0]
          : undefined;
        const given = settingsOver(settings, stored);
        if (!given) return undefined;
        const params = { id, now, ...settingsParams(given) };
        const row = (await runPostgres(client, SECRET_SQL.setSettings, params)).rows[0];
        if (!row) return undefined;
        await runPostgres(client, SECRET_SQL.prune, { id, upTo: pruneUpTo(row, keep) });
        await log(client, id, events);
        return secretFromRow(row);
      }),
  };
}
