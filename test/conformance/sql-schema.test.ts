import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { makeBackend } from './backend-matrix.js';

/**
 * The schema a fresh database ends with, as the database itself describes it. The snapshots were
 * taken from the migrations as they were before they became one shared list (sql/migrations.ts):
 * a database migrated by any earlier release must see the same tables, columns, indexes and
 * constraints, and the same applied migration names (so it has nothing pending). A new migration
 * changes them on purpose: update with `npx vitest run test/conformance/sql-schema.test.ts -u`.
 */
function sqliteSchema(file: string) {
  const database = new Database(file, { readonly: true });
  try {
    return {
      migrations: database.prepare('select name from kysely_migration order by name').pluck().all(),
      objects: database
        .prepare(
          `select type, name, tbl_name, sql from sqlite_master
           where name not like 'kysely_%' order by type, name`,
        )
        .all(),
    };
  } finally {
    database.close();
  }
}

async function postgresSchema(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows = async (text: string) => (await client.query(text)).rows;
  try {
    return {
      migrations: (await rows('select name from kysely_migration order by name')).map((r) => r.name),
      columns: await rows(`select table_name, column_name, ordinal_position, data_type, is_nullable,
          column_default, is_identity, identity_generation
        from information_schema.columns
        where table_schema = 'public' and table_name not like 'kysely_%'
        order by table_name, ordinal_position`),
      indexes: await rows(`select tablename, indexname, indexdef from pg_indexes
        where schemaname = 'public' and tablename not like 'kysely_%' order by tablename, indexname`),
      constraints: await rows(`select conrelid::regclass::text as table_name, conname,
          pg_get_constraintdef(oid) as definition
        from pg_constraint where connamespace = 'public'::regnamespace
          and conrelid::regclass::text not like 'kysely_%'
        order by 1, 2`),
      // Column storage: share ciphertext is stored out of line, uncompressed.
      storage: await rows(`select c.relname as table_name, a.attname as column_name, a.attstorage
        from pg_attribute a join pg_class c on c.oid = a.attrelid
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and a.attnum > 0
          and not a.attisdropped and c.relname not like 'kysely_%'
        order by 1, 2`),
    };
  } finally {
    await client.end();
  }
}

/** Each table's columns as `name` or `name not null`, sorted: what both dialects must agree on. */
type Columns = Record<string, string[]>;
const described = (rows: { table: string; column: string; notNull: boolean }[]): Columns => {
  const tables: Columns = {};
  for (const row of rows) {
    tables[row.table] = [...(tables[row.table] ?? []), `${row.column}${row.notNull ? ' not null' : ''}`];
  }
  for (const columns of Object.values(tables)) columns.sort();
  return tables;
};

async function columnsOf(name: 'sqlite' | 'postgres'): Promise<Columns> {
  const backend = await makeBackend(name);
  await (await backend.open()).close();
  try {
    const url = backend.env.HUSH_DATABASE_URL;
    if (url === undefined) {
      const database = new Database(path.join(backend.env.HUSH_DATA_DIR ?? '', 'hush.db'), {
        readonly: true,
      });
      const rows = database
        .prepare(
          `select m.name as "table", c.name as "column", (c."notnull" or c.pk) as "notNull"
           from sqlite_master m join pragma_table_info(m.name) c
           where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like 'kysely_%'`,
        )
        .all() as { table: string; column: string; notNull: number }[];
      database.close();
      return described(rows.map((row) => ({ ...row, notNull: row.notNull === 1 })));
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ table: string; column: string; notNull: boolean }>(
      `select table_name as "table", column_name as "column", is_nullable = 'NO' as "notNull"
       from information_schema.columns where table_schema = 'public' and table_name not like 'kysely_%'`,
    );
    await client.end();
    return described(rows);
  } finally {
    backend.cleanup();
  }
}

describe('the shared migration list', () => {
  it("gives SQLite and PostgreSQL the same tables and columns (SQLite adds its table of leases, PostgreSQL its events' insert time)", async () => {
    const { locks, ...sqlite } = await columnsOf('sqlite');
    expect(locks).toEqual(['expires_at not null', 'holder not null', 'name not null']);
    const { events, ...postgres } = await columnsOf('postgres');
    expect(events).toEqual([...(sqlite.events ?? []), 'inserted_at'].sort());
    expect(sqlite).toEqual({ ...postgres, events: sqlite.events });
    expect(Object.keys(sqlite)).toHaveLength(17);
  });
});

describe.each(['sqlite', 'postgres'] as const)('%s schema after every migration', (name) => {
  it('is the schema earlier releases migrated to, with the same migration names', async () => {
    const backend = await makeBackend(name);
    const opened = await backend.open();
    await opened.close();
    try {
      const url = backend.env.HUSH_DATABASE_URL;
      const schema =
        url === undefined
          ? sqliteSchema(path.join(backend.env.HUSH_DATA_DIR ?? '', 'hush.db'))
          : await postgresSchema(url);
      await expect(`${JSON.stringify(schema, null, 2)}\n`).toMatchFileSnapshot(`./__schema__/${name}.json`);
    } finally {
      backend.cleanup();
    }
  });
});
