import type { Database, RunResult, Statement } from 'better-sqlite3';
import type { SqlStatement } from '../sql/sql-statement.js';

/** A shared statement prepared on this connection: synchronous, for use inside write jobs. */
export interface SqlitePrepared<P, R> {
  all(values: P): R[];
  get(values: P): R | undefined;
  run(values: P): RunResult;
}

/**
 * Prepares `statement` on first use (the tables exist only once migrations have run) and binds
 * its named values positionally: one bound execution per call, as a hand-prepared statement costs.
 */
export function sqlitePrepared<P, R>(
  database: Database,
  statement: SqlStatement<P, R>,
): SqlitePrepared<P, R> {
  const compiled = statement.compiled('sqlite');
  let prepared: Statement | undefined;
  const stmt = () => {
    prepared ??= database.prepare(compiled.sql);
    return prepared;
  };
  return {
    all: (values) => stmt().all(...compiled.bind(values)) as R[],
    get: (values) => stmt().get(...compiled.bind(values)) as R | undefined,
    run: (values) => stmt().run(...compiled.bind(values)),
  };
}

type PreparedAll<T> = {
  [K in keyof T]: T[K] extends SqlStatement<infer P, infer R> ? SqlitePrepared<P, R> : never;
};

/** A table of shared statements (e.g. USER_SQL), each prepared on first use. */
export function sqlitePreparedAll<T extends Record<string, SqlStatement<never, unknown>>>(
  database: Database,
  statements: T,
): PreparedAll<T> {
  return Object.fromEntries(
    Object.entries(statements).map(([key, stmt]) => [key, sqlitePrepared(database, stmt)]),
  ) as PreparedAll<T>;
}

/**
 * A store's statements, prepared together on first use rather than at construction: the tables
 * exist only once migrations have run. Returns a getter by statement name.
 */
export function preparedStatements<Name extends string>(
  database: Database,
  sql: Readonly<Record<Name, string>>,
): (name: Name) => Statement {
  let prepared: Record<Name, Statement> | undefined;
  return (name) => {
    prepared ??= Object.fromEntries(
      Object.entries<string>(sql).map(([key, text]) => [key, database.prepare(text)]),
    ) as Record<Name, Statement>;
    return prepared[name];
  };
}
