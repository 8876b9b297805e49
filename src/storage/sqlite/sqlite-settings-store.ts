import type { Database } from 'better-sqlite3';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { SettingRecord, SettingsStore } from '../settings-store.js';
import { META_SQL } from '../sql/meta-statements.js';
import type { SettingsTable } from '../sql/schema.js';
import { statement } from '../sql/sql-statement.js';
import { eventInserter } from './sqlite-event-store.js';
import { preparedStatements, sqlitePrepared } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

/** SQLite's list: PostgreSQL reads the version in the same statement; SQLite in one read transaction. */
const LIST = statement()('settings_list', (db) =>
  db.selectFrom('settings').select(['key', 'value', 'updated_at', 'updated_by']).orderBy('key'),
);

/**
 * SQLite's changes, each run inside a write job (the version check is a read in the same job).
 * PostgreSQL's check, bump and change are one statement each (postgres-settings-store.ts).
 */
const SQL = {
  bump: `insert into meta (key, value) values ('settings_version', '1')
    on conflict (key) do update set value = cast(meta.value as integer) + 1`,
  upsert: `insert into settings (key, value, updated_at, updated_by)
    values (@key, @value, @updatedAt, @updatedBy)
    on conflict (key) do update set
      value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  delete: `delete from settings where key = ?`,
} as const;

const fromRow = (row: SettingsTable): SettingRecord => ({
  key: row.key,
  valueJson: row.value,
  updatedAt: row.updated_at,
  updatedBy: row.updated_by ?? undefined,
});

/**
 * Settings in the SQLite file. A change runs inside the write queue's transaction, under SQLite's
 * write lock: the version check, the change and the bump are one atomic step across processes.
 */
export function createSqliteSettingsStore(database: Database, writes: WriteQueue): SettingsStore {
  const stmt = preparedStatements(database, SQL);
  const versionRow = sqlitePrepared(database, META_SQL.settingsVersion);
  const list = sqlitePrepared(database, LIST);
  const version = () => versionRow.get({})?.version ?? 0;
  // One read transaction: the rows and the version come from the same snapshot.
  const snapshot = database.transaction(() => ({
    version: version(),
    settings: list.all({}).map(fromRow),
  }));

  const record = eventInserter(database);
  const change = (ifVersion: number, events: readonly AuditEvent[], apply: () => void) =>
    writes.write(() => {
      const current = version();
      if (current !== ifVersion) return undefined;
      apply();
      stmt('bump').run();
      record(events);
      return current + 1;
    });

  return {
    list: async () => snapshot(),
    version: async () => version(),
    set: (setting, ifVersion, events) =>
      change(ifVersion, events, () =>
        stmt('upsert').run({
          key: setting.key,
          value: setting.valueJson,
          updatedAt: setting.updatedAt,
          updatedBy: setting.updatedBy ?? null,
        }),
      ),
    reset: (key, ifVersion, events) => change(ifVersion, events, () => stmt('delete').run(key)),
  };
}
