import type pg from 'pg';
import type { ShareRecord, ShareStore } from '../share-store.js';
import { type OwnerRow, ownerMap, shareFromRow } from '../sql/share-rows.js';
import { SHARE_SQL } from '../sql/share-statements.js';
import { runPostgres } from './postgres-prepared.js';

const OWNERS_OF = `select id, owner_kind, owner_id from shares where id = any($1::text[]) and owner_id is not null`;

/** The share store's reads by owner: plain reads, each one statement on the pool. */
export function postgresShareOwners(
  pool: pg.Pool,
): Pick<ShareStore, 'listByOwner' | 'findOwned' | 'ownersOf'> {
  return {
    async listByOwner(owner, offset, limit) {
      const by = { ownerKind: owner.kind, ownerId: owner.id };
      const [page, count] = await Promise.all([
        runPostgres(pool, SHARE_SQL.listByOwner, { ...by, limit, offset }),
        runPostgres(pool, SHARE_SQL.countByOwner, by),
      ]);
      return {
        total: Number(count.rows[0]?.total ?? 0),
        shares: page.rows.map((row) => shareFromRow({ ...row, ciphertext: null }) as ShareRecord),
      };
    },

    findOwned: async (id, owner) =>
      shareFromRow(
        (await runPostgres(pool, SHARE_SQL.findOwned, { id, ownerKind: owner.kind, ownerId: owner.id }))
          .rows[0],
      ),

    ownersOf: async (ids) =>
      ownerMap(
        (await pool.query<OwnerRow>({ name: 'hush_share_owners_of', text: OWNERS_OF, values: [ids] })).rows,
      ),
  };
}
