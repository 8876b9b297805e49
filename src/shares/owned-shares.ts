import type { AuditEvent } from '../audit/audit-types.js';
import type { ClientInfo } from '../domain/client-info.js';
import type { Identity } from '../domain/principal.js';
import { HushError } from '../errors/hush-error.js';
import type { ShareStore } from '../storage/share-store.js';
import { describeReceipt } from './share-receipt.js';
import type { Receipt, ShareOwner } from './share-types.js';

/** A page of an owner's shares as their receipts say (no timelines), and how many there are. */
export interface OwnedShareList {
  readonly total: number;
  readonly shares: readonly Receipt[];
}

/** What the owner of shares may do with them: list them and burn one, by id, without its link. */
export interface OwnedShareOps {
  listOwned(owner: ShareOwner, page: number, pageSize: number): Promise<OwnedShareList>;
  /** The receipt of a share `owner` created, by its id; not_found for anyone else's. */
  ownedReceipt(owner: ShareOwner, shareId: string): Promise<Receipt>;
  /** Burns a pending share `by` created; anything else (someone else's, ended, unknown) is not_found. */
  burnOwned(by: Identity, shareId: string, client: ClientInfo): Promise<void>;
}

export interface OwnedShareDeps {
  readonly store: ShareStore;
  readonly audit: { stored(events: readonly AuditEvent[]): void };
  readonly now: () => number;
  readonly timeline: (shareId: string) => Promise<readonly AuditEvent[]>;
  /** The share.burned event of this burn, with the owner as its actor. */
  readonly burnedEvent: (shareId: string, client: ClientInfo, by: Identity) => AuditEvent;
}

export function createOwnedShareOps(deps: OwnedShareDeps): OwnedShareOps {
  const { store, audit, now, burnedEvent } = deps;
  return {
    async listOwned(owner, page, pageSize) {
      const { total, shares } = await store.listByOwner(owner, (page - 1) * pageSize, pageSize);
      // The list is a summary: a share's timeline is on its receipt.
      return { total, shares: shares.map((share) => describeReceipt(share, [], now())) };
    },

    async ownedReceipt(owner, shareId) {
      const share = await store.findOwned(shareId, owner);
      if (!share) throw new HushError('not_found');
      return describeReceipt(share, await deps.timeline(share.id), now());
    },

    async burnOwned(by, shareId, client) {
      const share = await store.findOwned(shareId, { kind: by.kind, id: by.id });
      if (!share) throw new HushError('not_found');
      // The burn itself decides: a share that ended meanwhile is not burned twice.
      const events = [burnedEvent(share.id, client, by)];
      if (!(await store.burn(share.id, 'burned_by_sender', now(), events))) throw new HushError('not_found');
      audit.stored(events);
    },
  };
}
