import type pg from 'pg';
import type { SettingRecord, SettingsStore } from '../settings-store.js';
import { META_SQL } from '../sql/meta-statements.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { runPostgres } from './postgres-prepared.js';

/**
 * Bumps the version only if it is still $1. The update's row lock serializes concurrent changes and
 * a waiting one re-checks the committed value, so only one change per version gets through.
 * Version 0 has no row yet: of concurrent first inserts one wins, the others insert nothing.
 */
const BUMP = `updated as (
    update meta set value = (value::bigint + 1)::text
    where key = 'settings_version' and value::bigint = $1::bigint
    returning value::bigint as version
  ), inserted as (
    insert into meta (key, value) select 'settings_version', '1' where $1::bigint = 0
    on conflict (key) do nothing
    returning 1::bigint as version
  ), bumped as (
    select version from updated union all select version from inserted
  )`;

/** PostgreSQL's own statements: each change is one statement with its check, bump and events. */
const SQL = {
  // One statement, one snapshot: the rows and the version agree.
  list: `select v.version, s.key, s.value, s.updated_at, s.updated_by
    from (select coalesce((select value::bigint from meta where key = 'settings_version'), 0) as version) v
    left join settings s on true
    order by s.key`,
  // The change reads from `bumped`, so it happens only after (and only if) the bump did.
  set: `with ${BUMP}, changed as (
      insert into settings (key, value, updated_at, updated_by)
      select $2::text, $3::text, $4::bigint, $5::text from bumped
      on conflict (key) do update set
        value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
      returning 1
    ), logged as (${insertEvents(6, 'where exists (select 1 from bumped)')})
    select version from bumped`,
  reset: `with ${BUMP}, removed as (
      delete from settings where key = $2::text and exists (select 1 from bumped) returning 1
    ), logged as (${insertEvents(3, 'where exists (select 1 from bumped)')})
    select version from bumped`,
} as const;

interface ListRow {
  version: number;
  key: string | null;
  value: string | null;
  updated_at: number | null;
  updated_by: string | null;
}

/** Settings in PostgreSQL: one prepared statement per call, each change a single statement. */
export function createPostgresSettingsStore(pool: pg.Pool): SettingsStore {
  const run = <R extends pg.QueryResultRow>(name: keyof typeof SQL, values: unknown[]) =>
    pool.query<R>({ name: `hush_settings_${name}`, text: SQL[name], values });
  const newVersion = async (name: 'set' | 'reset', values: unknown[]) =>
    (await run<{ version: number }>(name, values)).rows[0]?.version;

  return {
    async list() {
      const { rows } = await run<ListRow>('list', []);
      const settings: SettingRecord[] = [];
      for (const row of rows) {
        if (row.key === null) continue;
        settings.push({
          key: row.key,
          valueJson: row.value ?? 'null',
          updatedAt: row.updated_at ?? 0,
          updatedBy: row.updated_by ?? undefined,
        });
      }
      return { version: rows[0]?.version ?? 0, settings };
    },
    version: async () => (await runPostgres(pool, META_SQL.settingsVersion, {})).rows[0]?.version ?? 0,
    set: (record, ifVersion, events) =>
      newVersion('set', [
        ifVersion,
        record.key,
        record.valueJson,
        record.updatedAt,
        record.updatedBy ?? null,
        ...eventParams(ownedBy(record.key, events)),
      ]),
    reset: (key, ifVersion, events) =>
      newVersion('reset', [ifVersion, key, ...eventParams(ownedBy(key, events))]),
  };
}
