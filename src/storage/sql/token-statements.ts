import type { ExpressionBuilder } from 'kysely';
import type { SqlSchema } from './schema.js';
import { statement } from './sql-statement.js';
import { TOKEN_LOOKUP_SELECT } from './token-rows.js';

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
  find: statement<{ hash: string }>()('token_find', (db, p) =>
    db
      .selectFrom('tokens as t')
      .innerJoin('sessions as s', 's.id', 't.session_id')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(TOKEN_LOOKUP_SELECT)
      .where('t.hash', '=', p('hash')),
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
