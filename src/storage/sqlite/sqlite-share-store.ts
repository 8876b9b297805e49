import { type Kysely, type Selectable, sql } from 'kysely';
import type { EndReason, PassphraseScope, ShareState } from '../../shares/share-types.js';
import type { ShareRecord, ShareStore } from '../share-store.js';
import type { SharesTable, SqliteSchema } from './sqlite-schema.js';
import { immediateTransaction } from './sqlite-transaction.js';

export function createSqliteShareStore(db: Kysely<SqliteSchema>): ShareStore {
  return {
    async create(record) {
      await db
        .insertInto('shares')
        .values({
          id: record.id,
          token_hash: record.tokenHash,
          receipt_hash: record.receiptHash,
          ciphertext: record.ciphertext,
          passphrase_hash: record.passphraseHash ?? null,
          passphrase_scope: record.passphraseScope,
          max_views: record.maxViews,
          created_at: record.createdAt,
          expires_at: record.expiresAt,
        })
        .execute();
    },

    async findLive(tokenHash, now) {
      const row = await db
        .selectFrom('shares')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('state', '=', 'pending')
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async findByReceipt(receiptHash) {
      const row = await db
        .selectFrom('shares')
        .selectAll()
        .where('receipt_hash', '=', receiptHash)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    // Guarantee: the guarded UPDATE runs under SQLite's single write lock (BEGIN IMMEDIATE), so
    // at most max_views callers across all processes ever match `views_used < max_views`.
    claimView(id, now) {
      return immediateTransaction(db, async (trx) => {
        const row = await trx
          .updateTable('shares')
          .set({ views_used: sql`views_used + 1` })
          .where('id', '=', id)
          .where('state', '=', 'pending')
          .where('expires_at', '>', now)
          .where(sql<boolean>`views_used < max_views`)
          .returning(['ciphertext', 'views_used', 'max_views'])
          .executeTakeFirst();
        if (!row?.ciphertext) return undefined;
        const viewsLeft = row.max_views - row.views_used;
        if (viewsLeft === 0) {
          await trx
            .updateTable('shares')
            .set({ ciphertext: null, state: 'consumed', end_reason: 'viewed', ended_at: now })
            .where('id', '=', id)
            .execute();
        }
        return { ciphertext: row.ciphertext, viewsLeft };
      });
    },

    // Guarantee: one UPDATE counts the attempt and, at the limit, burns in the same statement
    // (SET expressions all read the pre-update row), so exactly one caller sees burned = true.
    async recordFailedAttempt(id, limit, now) {
      const reached = sql<boolean>`failed_attempts + 1 >= ${limit}`;
      const row = await db
        .updateTable('shares')
        .set({
          failed_attempts: sql`failed_attempts + 1`,
          state: sql`case when ${reached} then 'burned' else state end`,
          ciphertext: sql`case when ${reached} then null else ciphertext end`,
          end_reason: sql`case when ${reached} then 'passphrase_attempts' else end_reason end`,
          ended_at: sql`case when ${reached} then ${now} else ended_at end`,
        })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where('expires_at', '>', now)
        .returning(['failed_attempts', 'state'])
        .executeTakeFirst();
      return row && { attempts: row.failed_attempts, burned: row.state === 'burned' };
    },

    async burn(id, reason, now) {
      const result = await db
        .updateTable('shares')
        .set({ state: 'burned', ciphertext: null, end_reason: reason, ended_at: now })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    // One short statement per batch keeps each write lock brief while traffic goes on.
    async expireBatch(now, limit) {
      const rows = await db
        .updateTable('shares')
        .set({ state: 'expired', ciphertext: null, end_reason: 'expired', ended_at: sql`expires_at` })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('shares')
            .select('id')
            .where('state', '=', 'pending')
            .where('expires_at', '<=', now)
            .limit(limit),
        )
        .where('state', '=', 'pending')
        .returning('id')
        .execute();
      return rows.map((row) => row.id);
    },

    async purgeBatch(endedBefore, limit) {
      const result = await db
        .deleteFrom('shares')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('shares')
            .select('id')
            .where('state', '!=', 'pending')
            .where('ended_at', '<', endedBefore)
            .limit(limit),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

function toRecord(row: Selectable<SharesTable>): ShareRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    receiptHash: row.receipt_hash,
    ciphertext: row.ciphertext ?? undefined,
    passphraseHash: row.passphrase_hash ?? undefined,
    passphraseScope: row.passphrase_scope as PassphraseScope,
    maxViews: row.max_views,
    viewsUsed: row.views_used,
    failedAttempts: row.failed_attempts,
    state: row.state as ShareState,
    endReason: (row.end_reason ?? undefined) as EndReason | undefined,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    endedAt: row.ended_at ?? undefined,
  };
}
