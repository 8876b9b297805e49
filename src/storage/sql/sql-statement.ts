import type { Compilable, Kysely } from 'kysely';
import type { SqlSchema } from './schema.js';
import { QUERY_BUILDERS, type SqlDialect } from './sql-dialects.js';

/**
 * One statement, written once with Kysely's builder for both SQL dialects, compiled once per
 * dialect and then prepared once by each backend. Values are named parameters (`param('id')`),
 * bound per call in the order the compiler placed them; a literal in the builder stays a constant.
 */
export interface SqlStatement<P, R> {
  /** Unique among statements: PostgreSQL prepares it under `hush_<name>`. */
  readonly name: string;
  /** The SQL text for `dialect` and a binder from named values to its positional parameters. */
  compiled(dialect: SqlDialect): CompiledStatement<P>;
  /** Only for typing: the row this statement returns. */
  readonly row?: R;
}

export interface CompiledStatement<P> {
  readonly sql: string;
  bind(values: P): unknown[];
}

/** `param('id')` in a builder: stands for the value bound under that name at each call. */
export type ParamOf<P> = <K extends keyof P & string>(name: K) => P[K];

/** The row type of a statement (for the row mappers). */
export type RowOf<S> = S extends SqlStatement<unknown, infer R> ? R : never;

// A parameter is recognised by identity: this object never appears as a value of its own.
class Param {
  constructor(readonly name: string) {}
}

/**
 * Declares a statement taking parameters `P`:
 * `statement<{ id: string }>()('user_find', (db, param) => db.selectFrom('users').selectAll().where('id', '=', param('id')))`.
 */
export function statement<P extends object = Record<never, never>>() {
  return <R>(
    name: string,
    build: (db: Kysely<SqlSchema>, param: ParamOf<P>) => Compilable<R>,
  ): SqlStatement<P, R> => {
    const cache = new Map<SqlDialect, CompiledStatement<P>>();
    const param = ((key: string) => new Param(key)) as unknown as ParamOf<P>;
    return {
      name,
      compiled(dialect) {
        let compiled = cache.get(dialect);
        if (compiled === undefined) {
          const query = build(QUERY_BUILDERS[dialect], param).compile();
          const slots = query.parameters.map((value) => (value instanceof Param ? value.name : { value }));
          compiled = {
            sql: query.sql,
            bind: (values) =>
              slots.map((slot) =>
                typeof slot === 'string' ? (values as Record<string, unknown>)[slot] : slot.value,
              ),
          };
          cache.set(dialect, compiled);
        }
        return compiled;
      },
    };
  };
}
