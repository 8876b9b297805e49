import type { Kysely, Migration } from 'kysely';

/**
 * 0014: who created a share while signed in (principal kind and id), so its owner can list and
 * burn it and notifications can reach them. Existing shares were anonymous: both stay null.
 */
export const shareOwnerMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('shares').addColumn('owner_kind', 'text').execute();
    await db.schema.alterTable('shares').addColumn('owner_id', 'text').execute();
    // An owner's list, newest first (anonymous shares sit in it under a null owner_id).
    await db.schema.createIndex('shares_owner').on('shares').columns(['owner_id', 'created_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('shares_owner').execute();
    await db.schema.alterTable('shares').dropColumn('owner_id').execute();
    await db.schema.alterTable('shares').dropColumn('owner_kind').execute();
  },
};
