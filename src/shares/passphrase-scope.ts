import type { ShareRecord } from '../storage/share-store.js';

/** Whether revealing this share needs its passphrase (seed-000 passphrases guard only burning). */
export function passphraseGuardsReveal(
  share: Pick<ShareRecord, 'passphraseHash' | 'passphraseScope'>,
): boolean {
  return share.passphraseHash !== undefined && share.passphraseScope === 'reveal';
}
