import type { Receipt } from '../../../shares/share-types.js';

/** A receipt's fields as the API names them, but its timeline (receipts and owner lists share these). */
export function receiptFields(r: Receipt) {
  return {
    share_id: r.shareId,
    state: r.state,
    created_at: r.createdAt.toISOString(),
    expires_at: r.expiresAt.toISOString(),
    ended_at: r.endedAt?.toISOString() ?? null,
    end_reason: r.endReason ?? null,
    max_views: r.maxViews,
    views_used: r.viewsUsed,
    views_left: r.viewsLeft,
    passphrase_required: r.passphraseRequired,
    failed_passphrase_attempts: r.failedPassphraseAttempts,
  };
}
