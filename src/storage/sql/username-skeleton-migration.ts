import { type Kysely, type Migration, sql } from 'kysely';
import { usernameSkeleton } from '../username-skeleton.js';

/**
 * The UTS #39 skeleton of each local account's username, unique, so that two names that look
 * alike cannot both be created, not even by two concurrent creates. Existing accounts are given
 * theirs, oldest first; an account whose name looks like an older one's (made before this rule)
 * keeps working with no skeleton of its own. GitHub accounts have none: GitHub keeps their names
 * unique, and refusing one would lock a real GitHub user out.
 */
export const usernameSkeletonMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('username_skeleton', 'text').execute();
    // biome-ignore lint/suspicious/noExplicitAny: the migration sees the table as it is now
    const users = db as Kysely<any>;
    const rows: { id: string; username: string }[] = await users
      .selectFrom('users')
      .select(['id', 'username'])
      .where('github_id', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const seen = new Set<string>();
    for (const row of rows) {
      const skeleton = usernameSkeleton(row.username);
      if (seen.has(skeleton)) continue;
      seen.add(skeleton);
      await users
        .updateTable('users')
        .set({ username_skeleton: skeleton })
        .where('id', '=', row.id)
        .execute();
    }
    await db.schema
      .createIndex('users_username_skeleton')
      .on('users')
      .column('username_skeleton')
      .unique()
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index users_username_skeleton`.execute(db);
    await db.schema.alterTable('users').dropColumn('username_skeleton').execute();
  },
};
