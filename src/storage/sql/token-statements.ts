import { type ExpressionBuilder, sql } from 'kysely';
import type { SqlSchema } from './schema.js';
import { statement } from './sql-statement.js';
import { PRINCIPAL_EXISTS, PRINCIPAL_SELECT, TOKEN_LOOKUP_SELECT } from './token-rows.js';

/** Named columns rather than `*`: a prepared `select *` fails on PostgreSQL once a migration adds one. */
const SESSION_COLUMNS = [
  'id',
  'user_id',
  'principal_kind',
  'client_id',
  'client_ip',
  'access_ttl_seconds',
  'created_at',
  'expires_at',
  'revoked_at',
] as const;

/** A token's session is live while neither revoked nor past its max TTL. */
const liveSession = (eb: ExpressionBuilder<SqlSchema, 'tokens'>, now: number) =>
  eb.exists(
    eb
      .selectFrom('sessions as s')
      .select(eb.lit(1).as('live'))
      .whereRef('s.id', '=', 'tokens.session_id')
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', now),
  );

/**
 * The token statements both dialects run. The rest differ: PostgreSQL batches lookups, creates a
 * session with its tokens and events in one statement, and rotates under row locks; SQLite does
 * each inside one write job.
 */
export const TOKEN_SQL = {
  // The principal joins as PRINCIPAL_JOINS writes them (PostgreSQL's batched lookup uses that text).
  find: statement<{ hash: string }>()('token_find', (db, p) =>
    db
      .selectFrom('tokens as t')
      .innerJoin('sessions as s', 's.id', 't.session_id')
      .leftJoin('users as u', (join) =>
        join.on('s.principal_kind', '=', 'user').onRef('u.id', '=', 's.user_id'),
      )
      .leftJoin('machines as m', (join) =>
        join.on('s.principal_kind', '=', 'machine').onRef('m.id', '=', 's.user_id'),
      )
      .select(TOKEN_LOOKUP_SELECT)
      .select([
        sql<string>`${sql.raw(PRINCIPAL_SELECT.name)}`.as('p_name'),
        sql<string>`${sql.raw(PRINCIPAL_SELECT.role)}`.as('p_role'),
      ])
      .where('t.hash', '=', p('hash'))
      .where(sql<boolean>`${sql.raw(PRINCIPAL_EXISTS)}`),
  ),
  // Guarantee: the guard and the count are one UPDATE, so at most max_uses spends ever match.
  spendUse: statement<{ id: string; now: number }>()('token_spend_use', (db, p) =>
    db
      .updateTable('tokens')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('id', '=', p('id'))
      .where('max_uses', 'is not', null)
      .whereRef('uses', '<', 'max_uses')
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', p('now'))
      .where((eb) => liveSession(eb, p('now'))),
  ),
  /**
   * A principal's sessions (their tokens go by cascade), deleted in the step that deletes the
   * principal: sessions reference no table of principals, so nothing else removes them.
   */
  deleteSessionsOf: statement<{ kind: string; id: string }>()('token_delete_sessions_of', (db, p) =>
    db.deleteFrom('sessions').where('user_id', '=', p('id')).where('principal_kind', '=', p('kind')),
  ),
  // By kind and id: a principal is both, and an account and a machine may share an id.
  listSessions: statement<{ kind: string; id: string; now: number }>()('token_list_sessions', (db, p) =>
    db
      .selectFrom('sessions')
      .select(SESSION_COLUMNS)
      .where('user_id', '=', p('id'))
      .where('principal_kind', '=', p('kind'))
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', p('now'))
      .orderBy('created_at', 'desc')
      .orderBy('id'),
  ),
} as const;
