import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { SqlSchema } from './schema.js';

/** The two SQL databases hush runs on. */
export type SqlDialect = 'sqlite' | 'postgres';

/**
 * A query builder per dialect that never connects (Kysely's DummyDriver): it only compiles. Each
 * backend runs the compiled text its own way (SQLite synchronously inside its write queue's jobs,
 * PostgreSQL as named prepared statements), which a connected Kysely could not do.
 */
export const QUERY_BUILDERS: Readonly<Record<SqlDialect, Kysely<SqlSchema>>> = {
  sqlite: new Kysely<SqlSchema>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  postgres: new Kysely<SqlSchema>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
};
