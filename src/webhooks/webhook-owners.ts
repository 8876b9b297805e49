import type { SubjectKind } from '../audit/audit-types.js';
import type { WebhookOwner } from '../storage/webhook-store.js';
import { type OwnerLookup, subjectKey } from './webhook-types.js';

/** One store's owner lookup by ids (ShareStore.ownersOf, RequestStore.ownersOf). */
export type OwnersOf = (ids: readonly string[]) => Promise<ReadonlyMap<string, WebhookOwner>>;

/** An OwnerLookup over one `ownersOf` per subject kind; subjects of other kinds have no owner. */
export function ownerLookup(sources: Partial<Record<SubjectKind, OwnersOf>>): OwnerLookup {
  return async (subjects) => {
    const owners = new Map<string, WebhookOwner>();
    const byKind = new Map<SubjectKind, Set<string>>();
    for (const { kind, id } of subjects) {
      if (sources[kind] !== undefined) byKind.set(kind, (byKind.get(kind) ?? new Set()).add(id));
    }
    for (const [kind, ids] of byKind) {
      const source = sources[kind];
      if (source === undefined) continue;
      const found = await source([...ids]);
      for (const [id, owner] of found) owners.set(subjectKey({ kind, id }), owner);
    }
    return owners;
  };
}
