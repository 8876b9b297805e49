import type pg from 'pg';
import type { SqlStatement } from '../sql/sql-statement.js';

/**
 * Runs a shared statement as a named prepared statement (`hush_<name>`): PostgreSQL parses and
 * plans it once per connection. `on` is the pool or a client inside a transaction.
 */
export function runPostgres<P, R extends pg.QueryResultRow>(
  on: pg.Pool | pg.PoolClient,
  statement: SqlStatement<P, R>,
  values: P,
): Promise<pg.QueryResult<R>> {
  const compiled = statement.compiled('postgres');
  return on.query<R>({ name: `hush_${statement.name}`, text: compiled.sql, values: compiled.bind(values) });
}
