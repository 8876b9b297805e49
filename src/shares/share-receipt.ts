import type { AuditEvent } from '../audit/audit-types.js';
import { LEGACY_EVENT_TYPES } from '../audit/legacy-event-types.js';
import type { ShareRecord } from '../storage/share-store.js';
import { passphraseGuardsReveal } from './passphrase-scope.js';
import type { Receipt, ShareState } from './share-types.js';

/**
 * What the sender may know about a share: state, times and counts, and a timeline of event types.
 * Never content, and no recipient IPs or user agents.
 */
export function describeReceipt(share: ShareRecord, events: readonly AuditEvent[], now: number): Receipt {
  // A pending share past its time is expired even before the sweeper has erased it.
  const expiredUnswept = share.state === 'pending' && share.expiresAt <= now;
  const state: ShareState = expiredUnswept ? 'expired' : share.state;
  return {
    shareId: share.id,
    state,
    createdAt: new Date(share.createdAt),
    expiresAt: new Date(share.expiresAt),
    endedAt: expiredUnswept ? new Date(share.expiresAt) : optionalDate(share.endedAt),
    endReason: expiredUnswept ? 'expired' : share.endReason,
    maxViews: share.maxViews,
    viewsUsed: share.viewsUsed,
    viewsLeft: state === 'pending' ? share.maxViews - share.viewsUsed : 0,
    passphraseRequired: passphraseGuardsReveal(share),
    failedPassphraseAttempts: share.failedAttempts,
    // In the words the timeline had before events were namespaced (CREATE, READ, DELETE, …): the
    // page, the CLI and written clients read those. Only a burn's end reason is shown: other
    // details are not the sender's business.
    timeline: events.map((event) => {
      const reason = event.type === 'share.burned' ? event.data.reason : undefined;
      return {
        type: LEGACY_EVENT_TYPES[event.type],
        at: event.createdAt,
        detail: typeof reason === 'string' ? reason : undefined,
      };
    }),
  };
}

function optionalDate(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms);
}
