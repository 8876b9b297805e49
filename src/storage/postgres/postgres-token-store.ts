import type pg from 'pg';
import {
  lookupFromRow,
  PRINCIPAL_EXISTS,
  PRINCIPAL_JOINS,
  sessionFromRow,
  TOKEN_LOOKUP_COLUMNS,
  type TokenLookupRow,
  tokenValues,
} from '../sql/token-rows.js';
import { TOKEN_SQL } from '../sql/token-statements.js';
import type { TokenLookup, TokenRecord, TokenStore } from '../token-store.js';
import { createBatcher } from './postgres-batcher.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { isPostgresFault } from './postgres-faults.js';
import { runPostgres } from './postgres-prepared.js';
import { inTransaction } from './postgres-transaction.js';

/** A token's session is live at parameter `$now`. */
const liveSession = (now: string) => `exists (select 1 from sessions s
  where s.id = tokens.session_id and s.revoked_at is null and s.expires_at > ${now})`;
const LIVE_SESSION = liveSession('$2');

/** PostgreSQL's own statements, beside the shared ones (sql/token-statements.ts). */
const SQL = {
  // The session and its first tokens in one statement (a data-modifying CTE is atomic); foreign
  // keys are checked at the end of the statement, when the session row exists. The principal's row
  // (an account's or a machine's, by kind) is locked FOR KEY SHARE first: a deletion committed
  // meanwhile makes that lock find no row (READ COMMITTED re-reads a row it waited for), and
  // nothing is inserted; one not yet committed waits for this statement (it locks the row FOR
  // UPDATE before deleting sessions), then deletes the new session with the principal.
  createSession: `with u as (select id from users where $18::text = 'user' and id = $2 for key share),
    m as (select id from machines where $18::text = 'machine' and id = $2 for key share),
    p as (select id from u union all select id from m),
    s as (insert into sessions
        (id, user_id, client_id, client_ip, access_ttl_seconds, created_at, expires_at, principal_kind)
      select $1::text, p.id, $3::text, $4::text, $5::integer, $6::bigint, $7::bigint, $18::text from p returning id),
    logged as (${insertEvents(17, 'where exists (select 1 from s)')}),
    minted as (insert into tokens (id, hash, kind, session_id, scope, bound_cidrs, max_uses, created_at, expires_at)
      select * from unnest($8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
        $14::integer[], $15::bigint[], $16::bigint[])
      where exists (select 1 from s))
    select count(*)::int as created from s`,
  // Every request's lookup: those of one event-loop turn share this statement; r.ord says whose.
  findBatch: `select r.ord, ${TOKEN_LOOKUP_COLUMNS} from unnest($1::text[]) with ordinality as r(hash, ord)
    join tokens t on t.hash = r.hash join sessions s on s.id = t.session_id ${PRINCIPAL_JOINS}
    where ${PRINCIPAL_EXISTS}`,
  /**
   * A deletion of a principal locks its row, then sessions, then tokens (the cascade): a rotation
   * takes its session's lock before its token's, in that order too, so the two never deadlock.
   */
  lockSession: `select id from sessions
    where id = (select session_id from tokens where hash = $1 and kind = 'refresh') for key share`,
  /**
   * The decision in one statement. FOR UPDATE serializes concurrent rotations of one token: the
   * later ones wait, then see it rotated and take the reuse branch, which revokes the session.
   */
  rotate: `with t as (
      select id, session_id, rotated_at from tokens where hash = $1 and kind = 'refresh' for update),
    spent as (
      update tokens set rotated_at = $2 from t
      where tokens.id = t.id and t.rotated_at is null and tokens.revoked_at is null
        and tokens.expires_at > $2 and ${LIVE_SESSION}
      returning tokens.id),
    revoked as (
      update sessions set revoked_at = $2 from t
      where sessions.id = t.session_id and t.rotated_at is not null and sessions.revoked_at is null
      returning sessions.id),
    replaced as (
      insert into tokens (id, hash, kind, session_id, scope, bound_cidrs, max_uses, created_at, expires_at)
      select * from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
        $9::integer[], $10::bigint[], $11::bigint[])
      where exists (select 1 from spent)
      returning id),
    logged_rotated as (${insertEvents(12, 'where exists (select 1 from spent)')}),
    logged_reused as (${insertEvents(13, 'where exists (select 1 from t where t.rotated_at is not null)')})
    select (select count(*) from spent)::int as spent, (select rotated_at from t) as was_rotated,
      (select count(*) from revoked)::int as revoked`,
  // Guarded as a spend is: a token revoked or expired meanwhile is not brought back.
  extendAccess: `with x as (update tokens set expires_at = $2
      where id = $1 and kind = 'access' and revoked_at is null and expires_at > $3 and ${liveSession('$3')}
      returning id),
    logged as (${insertEvents(4, 'where exists (select 1 from x)')})
    select count(*)::int as extended from x`,
  revokeSession: `with r as (update sessions set revoked_at = $2 where id = $1 and revoked_at is null returning id),
    logged as (${insertEvents(3, 'where exists (select 1 from r)')})
    select count(*)::int as revoked from r`,
  // Rows are locked in id order, so two nodes revoking at once wait for each other, never deadlock.
  revokeGithubSessions: `with batch as (select id from sessions
      where revoked_at is null and expires_at > $1
        and principal_kind = 'user' and user_id in (select id from users where github_id is not null)
      order by id for update)
    update sessions x set revoked_at = $1 from batch where x.id = batch.id and x.revoked_at is null`,
  insertEvents: insertEvents(1),
  // SKIP LOCKED keeps two purging nodes out of each other's way; the CTE keeps the limit exact.
  purgeSessions: `with batch as (select id from sessions where expires_at < $1 or revoked_at < $1
      limit $2 for update skip locked)
    delete from sessions x using batch where x.id = batch.id`,
  purgeTokens: `with batch as (select id from tokens where expires_at < $1 limit $2 for update skip locked)
    delete from tokens x using batch where x.id = batch.id`,
} as const;

/**
 * Sessions and tokens in PostgreSQL: every guarantee is one prepared statement. Lookups are not
 * cached (nothing would tell this node of another's revocation); the lookups of one event-loop turn
 * share one statement instead, issued after every request in it arrived.
 */
export function createPostgresTokenStore(pool: pg.Pool): TokenStore {
  const run = <R extends pg.QueryResultRow>(name: keyof typeof SQL, values: unknown[]) =>
    pool.query<R>({ name: `hush_token_${name}`, text: SQL[name], values });
  const tokenColumns = (tokens: readonly TokenRecord[]) => {
    const rows = tokens.map(tokenValues);
    return Array.from({ length: 9 }, (_, column) => rows.map((row) => row[column]));
  };
  const find = async (hash: string) => {
    const row = (await runPostgres(pool, TOKEN_SQL.find, { hash })).rows[0];
    return row && lookupFromRow(row);
  };

  const lookup = createBatcher<string, TokenLookup | undefined>({
    isFault: isPostgresFault,
    async flush(hashes) {
      const { rows } = await run<TokenLookupRow & { ord: number }>('findBatch', [hashes]);
      const found = new Map(rows.map((row) => [row.ord, row]));
      return hashes.map((_, i) => {
        const row = found.get(i + 1);
        return row && lookupFromRow(row);
      });
    },
  });

  return {
    async createSession(session, tokens, events = []) {
      const result = await run<{ created: number }>('createSession', [
        session.id,
        session.userId,
        session.clientId ?? null,
        session.clientIp ?? null,
        session.accessTtlSeconds,
        session.createdAt,
        session.expiresAt,
        ...tokenColumns(tokens),
        ...eventParams(ownedBy(session.id, events)),
        session.principalKind ?? 'user',
      ]);
      return result.rows[0]?.created === 1;
    },
    find: lookup,
    spendUse: async (id, now) => (await runPostgres(pool, TOKEN_SQL.spendUse, { id, now })).rowCount === 1,
    extendAccess: async (id, expiresAt, now, events = []) =>
      (
        await run<{ extended: number }>('extendAccess', [
          id,
          expiresAt,
          now,
          ...eventParams(ownedBy(id, events)),
        ])
      ).rows[0]?.extended === 1,
    async rotateRefresh(hash, now, replacements, events) {
      const values = [
        hash,
        now,
        ...tokenColumns(replacements),
        ...eventParams(ownedBy(hash, events?.rotated ?? [])),
        ...eventParams(ownedBy(hash, events?.reused ?? [])),
      ];
      const row = await inTransaction(pool, async (client) => {
        const named = (name: keyof typeof SQL, params: unknown[]) =>
          client.query<{ spent: number; was_rotated: string | null }>({
            name: `hush_token_${name}`,
            text: SQL[name],
            values: params,
          });
        await named('lockSession', [hash]);
        return (await named('rotate', values)).rows[0];
      });
      const found = await find(hash);
      if (!found) return { outcome: 'invalid' };
      if (row?.spent === 1) return { outcome: 'rotated', found };
      if (row?.was_rotated != null) return { outcome: 'reused', found };
      return { outcome: 'invalid' };
    },
    revokeSession: async (id, now, events = []) =>
      (await run<{ revoked: number }>('revokeSession', [id, now, ...eventParams(ownedBy(id, events))]))
        .rows[0]?.revoked === 1,
    // How many were revoked is known only after the update, and the events say it: a transaction.
    revokeGithubSessions: (now, eventsFor) =>
      inTransaction(pool, async (client) => {
        const named = (name: keyof typeof SQL, values: unknown[]) =>
          client.query({ name: `hush_token_${name}`, text: SQL[name], values });
        const revoked = (await named('revokeGithubSessions', [now])).rowCount ?? 0;
        if (revoked > 0) await named('insertEvents', eventParams(ownedBy('', eventsFor(revoked))));
        return revoked;
      }),
    listSessions: async ({ kind, id }, now) =>
      (await runPostgres(pool, TOKEN_SQL.listSessions, { kind, id, now })).rows.map(sessionFromRow),
    async purgeEnded(before, limit) {
      const sessions = (await run('purgeSessions', [before, limit])).rowCount ?? 0;
      const tokens = (await run('purgeTokens', [before, limit])).rowCount ?? 0;
      return sessions + tokens;
    },
  };
}
