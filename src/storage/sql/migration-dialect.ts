import type { Kysely } from 'kysely';
import type { SqlDialect } from './sql-dialects.js';

/**
 * What the one migration list (migrations.ts) needs to know of a dialect: column types, and the few
 * steps each dialect takes its own way, which its folder's `*-migrations.ts` writes.
 */
export interface MigrationDialect {
  readonly name: SqlDialect;
  /** Epoch-ms times: SQLite's integer is 64-bit; PostgreSQL needs bigint. */
  readonly time: 'integer' | 'bigint';
  /** Content and wrapped keys: blob on SQLite, bytea on PostgreSQL. */
  readonly blob: 'blob' | 'bytea';
  /** The events seq of 0001: SQLite's rowid (an integer primary key), PostgreSQL's identity column. */
  readonly eventSeq: { readonly type: 'integer' | 'bigint'; readonly identity: boolean };
  /** 0001: the indexes on shares and events (and how PostgreSQL stores share content). */
  indexSharesAndEvents(db: Kysely<unknown>): Promise<void>;
  /** 0003: a table of leases (SQLite); PostgreSQL takes session advisory locks instead. */
  readonly leaseTable: boolean;
  /** 0008: SQL building a JSON object (as text) of one text column under `key`. */
  jsonObject(key: string, column: string): string;
  /** 0008: SQL cutting the first space-separated word off `column`. */
  firstWord(column: string): string;
  /**
   * 0008: the events table in its new shape, each new column filled from the old row by the SQL
   * expression `values` gives it; the unique id and subject indexes are added afterwards.
   */
  restructureEvents(db: Kysely<unknown>, values: Readonly<Record<string, string>>): Promise<void>;
  /**
   * 0010, PostgreSQL only: the database's clock when an event row took its seq, which the cursor
   * needs where seqs may commit out of order (see postgres-event-store.ts). SQLite has none: its
   * one writer commits in seq order.
   */
  addEventInsertedAt?(db: Kysely<unknown>): Promise<void>;
  /**
   * 0012: whether `sessions.user_id` references `users` (with its cascade). PostgreSQL drops or adds
   * the constraint; SQLite, which cannot alter one, rebuilds `sessions` and `tokens`.
   */
  sessionsReferenceUsers(db: Kysely<unknown>, reference: boolean): Promise<void>;
}
