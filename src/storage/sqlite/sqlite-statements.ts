import type { Database, Statement } from 'better-sqlite3';

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
