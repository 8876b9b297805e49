import type { Database } from 'better-sqlite3';
import { lookupFromRow, sessionFromRow, tokenValues } from '../sql/token-rows.js';
import { TOKEN_SQL } from '../sql/token-statements.js';
import type { TokenLookup, TokenRecord, TokenStore } from '../token-store.js';
import { eventInserter } from './sqlite-event-store.js';
import { preparedStatements, sqlitePreparedAll } from './sqlite-prepared.js';
import type { ReadCache } from './sqlite-read-cache.js';
import type { WriteQueue } from './sqlite-write-queue.js';

/** A session is live while neither revoked nor past its max TTL. */
const LIVE_SESSION = `exists (select 1 from sessions s
  where s.id = tokens.session_id and s.revoked_at is null and s.expires_at > @now)`;

/**
 * SQLite's own statements, beside the shared ones (sql/token-statements.ts): each runs inside a
 * write job, where PostgreSQL's counterparts are single statements under row locks.
 */
const SQL = {
  // Nothing when the principal (of its kind) is gone: inside the write job, no deletion can come between.
  insertSession: `insert into sessions
      (id, user_id, client_id, client_ip, access_ttl_seconds, created_at, expires_at, principal_kind)
    select @id, p.id, @clientId, @clientIp, @accessTtlSeconds, @createdAt, @expiresAt, @kind
    from (select id from users where @kind = 'user' and id = @principalId
      union all select id from machines where @kind = 'machine' and id = @principalId) p`,
  insertToken: `insert into tokens (id, hash, kind, session_id, scope, bound_cidrs, max_uses, created_at, expires_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  rotate: `update tokens set rotated_at = @now
    where hash = @hash and kind = 'refresh' and rotated_at is null and revoked_at is null
      and expires_at > @now and ${LIVE_SESSION}`,
  extendAccess: `update tokens set expires_at = @expiresAt
    where id = @id and kind = 'access' and revoked_at is null and expires_at > @now and ${LIVE_SESSION}`,
  revokeSession: `update sessions set revoked_at = @now where id = @id and revoked_at is null`,
  revokeGithubSessions: `update sessions set revoked_at = @now
    where revoked_at is null and expires_at > @now
      and principal_kind = 'user' and user_id in (select id from users where github_id is not null)`,
  purgeSessions: `delete from sessions where id in (select id from sessions
    where expires_at < @before or revoked_at < @before limit @limit)`,
  // Tokens past their own expiry inside a live session (each renewal leaves two behind).
  purgeTokens: `delete from tokens where id in (select id from tokens where expires_at < @before limit @limit)`,
} as const;

/**
 * Sessions and tokens in the SQLite file; each write is one job of the group-commit queue. Every
 * request looks its token up, so lookups go through `lookups`, a cache that every write here (and
 * to accounts) clears, and that a commit by another process clears too (see sqlite-read-cache.ts).
 * Reads inside a write job bypass it: they see the job's uncommitted work.
 */
export function createSqliteTokenStore(
  database: Database,
  writes: WriteQueue,
  lookups: ReadCache<TokenLookup>,
): TokenStore {
  const stmt = preparedStatements(database, SQL);
  const shared = sqlitePreparedAll(database, TOKEN_SQL);
  const record = eventInserter(database);
  /** A write job that changes what a lookup returns. */
  const change = <T>(run: () => T) =>
    writes.write(() => {
      lookups.clear();
      return run();
    });
  const insertTokens = (tokens: readonly TokenRecord[]) => {
    for (const token of tokens) stmt('insertToken').run(...tokenValues(token));
  };
  const find = (hash: string): TokenLookup | undefined => {
    const row = shared.find.get({ hash });
    return row && lookupFromRow(row);
  };

  return {
    createSession: (session, tokens, events = []) =>
      writes.write(() => {
        const inserted = stmt('insertSession').run({
          id: session.id,
          clientId: session.clientId ?? null,
          clientIp: session.clientIp ?? null,
          accessTtlSeconds: session.accessTtlSeconds,
          createdAt: session.createdAt,
          expiresAt: session.expiresAt,
          kind: session.principalKind ?? 'user',
          principalId: session.userId,
        }).changes;
        if (inserted !== 1) return false;
        insertTokens(tokens);
        record(events);
        return true;
      }),
    find: async (hash) => lookups.get(hash, find),
    spendUse: (id, now) => change(() => shared.spendUse.run({ id, now }).changes === 1),
    extendAccess: (id, expiresAt, now, events = []) =>
      change(() => {
        const extended = stmt('extendAccess').run({ id, expiresAt, now }).changes === 1;
        if (extended) record(events);
        return extended;
      }),
    // One job under the write lock: the decision with the new tokens, or on reuse the revocation.
    rotateRefresh: (hash, now, replacements, events) =>
      change(() => {
        const rotated = stmt('rotate').run({ hash, now }).changes === 1;
        const found = find(hash);
        if (rotated && found) {
          insertTokens(replacements);
          record(events?.rotated ?? []);
          return { outcome: 'rotated' as const, found };
        }
        if (found?.token.kind !== 'refresh' || found.token.rotatedAt === undefined) {
          return { outcome: 'invalid' as const };
        }
        stmt('revokeSession').run({ id: found.session.id, now });
        record(events?.reused ?? []);
        return { outcome: 'reused' as const, found };
      }),
    revokeSession: (id, now, events = []) =>
      change(() => {
        const revoked = stmt('revokeSession').run({ id, now }).changes === 1;
        if (revoked) record(events);
        return revoked;
      }),
    revokeGithubSessions: (now, eventsFor) =>
      change(() => {
        const revoked = stmt('revokeGithubSessions').run({ now }).changes;
        if (revoked > 0) record(eventsFor(revoked));
        return revoked;
      }),
    listSessions: async ({ kind, id }, now) => shared.listSessions.all({ kind, id, now }).map(sessionFromRow),
    purgeEnded: (before, limit) =>
      change(
        () =>
          stmt('purgeSessions').run({ before, limit }).changes +
          stmt('purgeTokens').run({ before, limit }).changes,
      ),
  };
}
